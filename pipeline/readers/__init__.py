"""Readers: the only code (with the exporters) that touches input files."""
from .arabic import read_arabic
from .english import read_english

__all__ = ["read_arabic", "read_english"]
