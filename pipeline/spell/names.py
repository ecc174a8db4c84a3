"""Names OCR misread, restored from the gazetteer through the English name they translate.

Names are protected from the word fixer (its dictionary mangles them). But when a name
was found by projection from the English (its Arabic spelling matched nothing) and that
English name is a gazetteer entry, the entry's Arabic spellings say how the name is
written. The mention is then read as one of them when OCR can explain the difference:

* ``glued-punctuation``: the spelling with a comma read as a hamza or a period glued to
  it (``نيمروزء`` → ``نيمروز،``);
* ``name-misread``: at most two letters read for others the OCR channel often confuses
  them with (a dot group, or a pair seen in real tesseract output: ``أففانستان`` →
  ``أفغانستان``), or a space lost between two words of the name.

A difference in a vowel letter (ا و ي ى), a hamza seat or ه/ة is a spelling variant, not
an OCR error: such a mention stays as written.
"""
from __future__ import annotations

from .channel import edit_operations, operation_probability
from .fixer import plain

#: Letters whose difference makes a spelling variant of a name (هلمند/هيلمند), not a misreading.
VARIANT_LETTERS = set("اأإآويىؤئءهة")
MIN_LENGTH = 4
MAX_OPERATIONS = 2
#: Least channel probability of a letter read for another to count as a misreading (ten
#: times the prior of an unrelated pair).
MIN_PROBABILITY = 0.001


def _misreading(source: str, target: str) -> bool:
    """One edit OCR makes of names: a letter read for a look-alike, a lost space."""
    if source == " " and target == "":
        return True
    if len(source) != 1 or len(target) != 1 or {source, target} & VARIANT_LETTERS:
        return False
    return operation_probability(source, target) >= MIN_PROBABILITY


def name_edit(surface: str, spellings: list[str], glued: dict[str, str]) -> tuple[str, str, int] | None:
    """(reading, rule, operations) of a projected name's surface from its gazetteer
    spellings, or None when it is one of them or differs by more than OCR explains."""
    surface = plain(surface)
    if len(surface.replace(" ", "")) < MIN_LENGTH:
        return None
    forms = set()
    for spelling in spellings:
        form = plain(spelling)
        forms.add(form)
        if form.startswith("ال") and not surface.startswith("ال"):
            forms.add(form[2:])
    if surface in forms:
        return None
    for form in sorted(forms):
        if surface[:-1] == form and surface[-1:] in glued:
            return form + glued[surface[-1]], "glued-punctuation", 1
    best = None
    for form in sorted(forms):
        operations = edit_operations(form, surface)
        if len(operations) <= MAX_OPERATIONS and all(_misreading(a, b) for a, b in operations):
            if best is None or len(operations) < best[2]:
                best = (form, "name-misread", len(operations))
    return best
