"""Tokens of a sentence as entity recognition sees them: key form and raw offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..document import Side, Span
from ..resources.gazetteer import strip_clitics

_BEFORE_ARTICLE = re.compile("^(?:[وف]?[بكل]?)(?=ال..)")
_CONJUNCTION = re.compile("^[وف](?=[\u0621-\u064a]{3})")
_TANWEEN = re.compile("[\u064b-\u064d]")


@dataclass(frozen=True)
class Token:
    """One token: its key form, that key without clitics (what names are matched on),
    and the raw offset where each key character starts."""

    key: str
    name: str
    start: int
    end: int
    sentence: str
    char_starts: tuple[int, ...]
    tanween: bool = False    # written with a nunation mark (رجلاً): a common noun, never a foreign name
    maksura: bool = False    # written with a final ى, which the key folds into ي (على is not علي)

    def start_after(self, prefix: int) -> int:
        """The raw offset after the first ``prefix`` key characters."""
        return self.char_starts[prefix] if 0 < prefix < len(self.char_starts) else self.start


def clitic_prefix(key: str, name_form: str | None = None) -> int:
    """How many leading key characters are attached words (و ف ب ك ل), not the name.

    With the name's own form (from the gazetteer) the prefix is what precedes it
    (``بطالبان`` + ``طالبان`` → 1). Otherwise: what precedes an article (``وبالدولة`` → 2,
    keeping ``الدولة``), one ل of ``لل`` (``للدولة`` → ``لدولة``), or a conjunction و/ف.
    """
    if name_form and key.endswith(name_form):
        return len(key) - len(name_form)
    if key.startswith("لل"):
        return 1
    if (match := _BEFORE_ARTICLE.match(key)) and match.end():
        return match.end()
    if (match := _CONJUNCTION.match(key)):
        return match.end()
    return 0


def arabic_tokens(side: Side) -> dict[str, list[Token]]:
    """Each sentence's tokens (from the ``tokens`` layer), keyed by sentence id."""
    key = side.view("key")
    result: dict[str, list[Token]] = {}
    for token in side.layer("tokens"):
        start, end = token.parts[0][0], token.parts[-1][1]
        k0, k1 = key.offsets.from_raw(start, end)
        text = key.text[k0:k1]
        result.setdefault(token.attrs["s"], []).append(
            Token(text, strip_clitics(text), start, end, token.attrs["s"], tuple(key.offsets.raw_start[k0:k1]),
                  bool(_TANWEEN.search(side.raw, start, end)), "ى" in side.raw[start:end]))
    return result


def mention(raw: str, tokens: list[Token], first: int, last: int, label: str, prefix: int | None = None,
            **attrs) -> Span:
    """A mention over tokens ``first … last``; its first ``prefix`` key characters
    (default: :func:`clitic_prefix`) are left out. Tokens on both sides of a page
    break or a note give a mention in two parts."""
    if prefix is None:
        prefix = clitic_prefix(tokens[first].key)
    parts = [[tokens[first].start_after(prefix), tokens[first].end]]
    for token in tokens[first + 1:last + 1]:
        if "\n" in raw[parts[-1][1]:token.start]:
            parts.append([token.start, token.end])
        else:
            parts[-1][1] = token.end
    return Span(tuple((a, b) for a, b in parts), label, None, attrs)
