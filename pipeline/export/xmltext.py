"""Text that XML can hold: control characters (other than tab and line ends) become
spaces, a form feed (a page break in PDF text) a line end. Used by every XML writer."""
from __future__ import annotations

import re

_NOT_XML = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def xml_text(text: str | None) -> str | None:
    """``text`` with the characters XML 1.0 forbids replaced."""
    if not text:
        return text
    return _NOT_XML.sub(" ", text.replace("\x0c", "\n"))
