"""Every stage of bayan, registered here in one place (importing a module registers it)."""
from . import align, entities, normalize, sentences, spellfix, structure  # noqa: F401
