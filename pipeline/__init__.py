"""bayan: Arabic translations and their English originals as clean, aligned TEI."""

__version__ = "0.1.0"
