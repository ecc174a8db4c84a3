"""Arabic normalization: a clean reading text and a matching key, both mapped to raw.

Level 1, ``reading``: presentation forms and ligatures decoded (camel's
normalize_unicode, i.e. NFKC plus camel's fixes), combining hamza/madda composed, bidi
controls, joiners and tatweel removed, Persian/Urdu letters mapped by their place in
the word, Persian digits made Arabic-Indic, Latin , ; ? after Arabic letters made
Arabic, odd spaces made plain spaces and runs of spaces collapsed.

Level 2, ``key`` (built on the reading text): diacritics removed (camel's dediac_ar),
alef forms, alef maksura and teh marbuta folded (camel's normalize_* functions), every
digit ASCII, Latin lower-cased, Arabic punctuation written in ASCII.

The tables live in ``pipeline/resources/arabic_normalization.toml``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import (normalize_alef_ar, normalize_alef_maksura_ar,
                                         normalize_teh_marbuta_ar, normalize_unicode)

from ..document import Bitext, View
from ..registry import stage
from ..resources import load_toml
from ..rewrite import Step, charwise, regex_sub, run_steps, translate_chars

ARABIC_LETTER = "\u0621-\u064a\u0671-\u06d3\u06fa-\u06fc"
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
_COMBINING_HAMZA = re.compile("[\u0627\u0648\u064a][\u0653\u0654\u0655]")


@dataclass(frozen=True)
class NormalizeOptions:
    """Options of the ``ar.normalize`` stage.

    Attributes:
        collapse_spaces: write runs of spaces as one space in the reading text.
        arabic_punctuation: turn Latin , ; ? after an Arabic letter into ، ؛ ؟.
    """

    collapse_spaces: bool = True
    arabic_punctuation: bool = True


def _decode_presentation_form(match: re.Match[str]) -> str:
    return normalize_unicode(match.group(0))


def _compose(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", match.group(0))


def _yeh_by_position(letters: list[str], inside: str, final: str) -> Step:
    pattern = re.compile(f"[{''.join(letters)}](?![{ARABIC_LETTER}\u064b-\u0652])")
    any_yeh = re.compile(f"[{''.join(letters)}]")

    def step(text: str):
        for match in any_yeh.finditer(text):
            is_final = pattern.match(text, match.start()) is not None
            yield match.start(), match.end(), final if is_final else inside
    return step


def _after_arabic_letter(table: dict[str, str]) -> Step:
    marks = "".join(re.escape(c) for c in table)
    pattern = re.compile(f"(?<=[{ARABIC_LETTER}\u064b-\u0652])[{marks}](?!\\d)")
    return regex_sub(pattern, lambda m: table[m.group(0)])


@lru_cache(maxsize=None)
def reading_steps(collapse_spaces: bool = True, arabic_punctuation: bool = True) -> tuple[Step, ...]:
    """The steps from raw text to the reading text."""
    table = load_toml("arabic_normalization.toml")
    drop = {c: "" for c in table["invisible"] + table["joiners"] + [table["tatweel"]]}
    spaces = {c: " " for c in table["spaces"]}
    digits = table["digits"]
    yeh = table["persian_letters"]["yeh"]
    steps: list[Step] = [
        regex_sub(_PRESENTATION_FORMS, _decode_presentation_form),
        regex_sub(_COMBINING_HAMZA, _compose),
        translate_chars(drop),
        translate_chars(spaces),
        translate_chars(table["persian_letters"]["anywhere"]),
        _yeh_by_position(yeh["letters"], yeh["inside"], yeh["final"]),
        translate_chars(dict(zip(digits["persian"], digits["arabic"]))),
    ]
    if arabic_punctuation:
        steps.append(_after_arabic_letter(table["punctuation"]["latin_to_arabic"]))
    if collapse_spaces:
        steps.append(regex_sub(r" {2,}", " "))
    return tuple(steps)


def _lower_latin(char: str) -> str:
    return char.lower() if char.isascii() else char


@lru_cache(maxsize=None)
def key_steps() -> tuple[Step, ...]:
    """The steps from the reading text to the matching key."""
    table = load_toml("arabic_normalization.toml")
    digits = table["digits"]
    to_ascii = dict(zip(digits["persian"] + digits["arabic"], digits["ascii"] * 2))
    arabic_to_latin = {v: k for k, v in table["punctuation"]["latin_to_arabic"].items()}
    return (
        charwise(dediac_ar),
        charwise(normalize_alef_ar),
        charwise(normalize_alef_maksura_ar),
        charwise(normalize_teh_marbuta_ar),
        translate_chars(to_ascii),
        translate_chars(arabic_to_latin),
        charwise(_lower_latin),
    )


def normalize_view(raw_view: View, options: NormalizeOptions = NormalizeOptions()) -> tuple[View, View]:
    """The reading view and the key view of a text, both mapped to its raw offsets."""
    reading = run_steps(raw_view, reading_steps(options.collapse_spaces, options.arabic_punctuation))
    key = run_steps(reading, key_steps())
    return reading, key


@stage("ar.normalize", provides=("ar.view.reading", "ar.view.key"), options=NormalizeOptions)
def normalize_arabic(bitext: Bitext, options: NormalizeOptions) -> Bitext:
    """Add the ``reading`` and ``key`` views to the Arabic side."""
    side = bitext.ar
    side.views["reading"], side.views["key"] = normalize_view(side.view("raw"), options)
    return bitext


_MARKDOWN_INLINE = (
    regex_sub(r"!?\[([^\]\n]*)\]\([^)\n]*\)", r"\1"),        # [text](url) -> text
    regex_sub(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", r"\2"),      # **bold** -> bold
    regex_sub(r"(?<![\w*])([*_])(?=\S)([^*_\n]+?)(?<=\S)\1(?![\w*])", r"\2"),  # *em* -> em
)


@stage("en.normalize", requires=("en.blocks",), provides=("en.view.reading",), needs_english=True)
def normalize_english(bitext: Bitext, options) -> Bitext:
    """Add the English ``reading`` view: Markdown inline markup and odd spaces removed."""
    side = bitext.en
    table = load_toml("arabic_normalization.toml")
    steps = _MARKDOWN_INLINE if side.source.get("format") == "markdown" else ()
    steps += (translate_chars({c: "" for c in table["invisible"]}),
              translate_chars({c: " " for c in table["spaces"]}))
    side.views["reading"] = run_steps(side.view("raw"), steps)
    return bitext
