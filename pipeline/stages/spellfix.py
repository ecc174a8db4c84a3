"""The ``ar.spellfix`` stage: OCR typo corrections as a layer; the raw text stays.

Runs after entities and alignment so that it can protect names (recognized mentions,
words in guillemets, gazetteer names) and use the aligned English sentence as evidence.
Each decision is a span of the ``corrections`` layer (before, after, rule, confidence,
applied); the ``corrected`` view is the reading text with the applied ones.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..align.lexicon import arabic_stems, english_stem, load_lexicon
from ..document import Bitext, BlockText, Span
from ..registry import stage
from ..rewrite import apply_edits
from ..spell.fixer import DocumentContext, FixerOptions, decide, plain
from ..spell.noise import NoiseOptions, noise_edits


@dataclass(frozen=True)
class SpellfixOptions:
    """Options of ``ar.spellfix``.

    Attributes:
        apply_threshold: confidence at which a correction is applied (else suggested).
        flag_threshold: least confidence to suggest a correction at all.
        context_weight: weight of word pairs the document already contains.
        english_weight: log-odds added when the aligned English sentence has a translation
            of the reading but not of the word as written (set by reasoning: a 50:1
            likelihood ratio; no tuning set has English).
        real_word_margin: extra margin a valid word's replacement must win by.
        noise_repair: also remove stray specks and restore misread commas (``spell/noise.py``).
        noise_apply_threshold: confidence at which a speck or comma edit is applied.
        noise_flag_threshold: least confidence to suggest one.
        speck_confidence: confidence of removing a speck (precision on corpora/ocr/tune).
        number_confidence: of removing a short number that stands among specks.
    """

    apply_threshold: float = 0.9
    flag_threshold: float = 0.6
    context_weight: float = 2.0
    english_weight: float = 4.0
    real_word_margin: float = 3.0
    noise_repair: bool = True
    noise_apply_threshold: float = 0.9
    noise_flag_threshold: float = 0.6
    speck_confidence: float = 0.95
    number_confidence: float = 0.9

    def fixer(self) -> FixerOptions:
        return FixerOptions(self.apply_threshold, self.flag_threshold, self.context_weight,
                            self.english_weight, self.real_word_margin)

    def noise(self) -> NoiseOptions:
        return NoiseOptions(self.noise_apply_threshold, self.noise_flag_threshold,
                            self.speck_confidence, self.number_confidence)


def _protected(bitext: Bitext) -> list[tuple[int, int]]:
    """Raw ranges never corrected: names, and words inside guillemets."""
    ranges = [(a, b) for span in bitext.ar.layer("entities") for a, b in span.parts]
    raw = bitext.ar.raw
    start = None
    for index, char in enumerate(raw):
        if char == "«":
            start = index
        elif char == "»" and start is not None:
            ranges.append((start, index + 1))
            start = None
    return ranges


def _english_words_by_sentence(bitext: Bitext) -> dict[str, set[str]]:
    """Arabic sentence id -> stems of the English sentences aligned with it."""
    if bitext.en is None or not bitext.alignment:
        return {}
    view = bitext.en.views.get("reading") or bitext.en.view("raw")
    english = {s.id: {english_stem(w) for w in BlockText.of(view, s).text.split()}
               for s in bitext.en.layer("sentences")}
    result = {}
    for bead in bitext.alignment:
        words = set().union(*(english[i] for i in bead["en"])) if bead["en"] else set()
        for sentence in bead["ar"]:
            result[sentence] = words
    return result


def _repair_noise(side, reading, protected, corrections: list, edits: list, options: NoiseOptions) -> None:
    """Add speck and comma edits (reading-view offsets) that touch no word correction or name."""
    taken = [(c.start, c.end) for c in corrections] + protected
    sentences = side.layer("sentences")
    for a, b, after, rule, confidence in noise_edits(reading.text, options=options):
        if confidence < options.flag_threshold:
            continue
        start, end = reading.offsets.to_raw(a, b)
        if any(x < end and start < y for x, y in taken) or start == end:
            continue
        applied = confidence >= options.apply_threshold
        sentence = next((s.id for s in sentences if s.start <= start and end <= s.end), None)
        corrections.append(Span.at(start, end, "correction", None, before=side.raw[start:end], after=after,
                                   rule=rule, confidence=confidence, applied=applied, s=sentence))
        if applied:   # a removed speck takes the space before it along
            edits.append((a - 1 if not after and a and reading.text[a - 1] == " " else a, b, after))


@stage("ar.spellfix", requires=("ar.tokens",), provides=("ar.corrections", "ar.view.corrected"),
       options=SpellfixOptions)
def spellfix(bitext: Bitext, options: SpellfixOptions) -> Bitext:
    """Find OCR typos; apply the sure corrections, suggest the others."""
    side = bitext.ar
    reading = side.view("reading")
    protected = _protected(bitext)
    lexicon = load_lexicon()

    def translations(word: str) -> set[str]:
        return set().union(*(lexicon.get(s, frozenset()) for s in arabic_stems(word))) if word else set()

    english = _english_words_by_sentence(bitext)
    tokens = [t for t in side.layer("tokens") if t.parts[0][1] - t.parts[0][0] > 0]
    words = [plain(reading.slice_raw(t.start, t.end)) for t in tokens]
    context = DocumentContext([reading.text])
    corrections, edits = [], []
    fixer_options = options.fixer()
    for index, token in enumerate(tokens):
        if any(a < token.end and token.start < b for a, b in protected) or len(token.parts) > 1:
            continue
        left = words[index - 1] if index else None
        right = words[index + 1] if index + 1 < len(words) else None
        decision = decide(words[index], left, right, context, english.get(token.attrs.get("s"), set()),
                          fixer_options, translations)
        if decision is None or decision[2] < options.flag_threshold:
            continue
        after, rule, confidence = decision
        applied = confidence >= options.apply_threshold
        corrections.append(Span.at(token.start, token.end, "correction", None, before=side.raw[token.start:token.end],
                                   after=after, rule=rule, confidence=confidence, applied=applied,
                                   s=token.attrs.get("s")))
        if applied:
            a, b = reading.offsets.from_raw(token.start, token.end)
            edits.append((a, b, after))
    if options.noise_repair:
        _repair_noise(side, reading, protected, corrections, edits, options.noise())
    corrections.sort(key=lambda c: c.start)
    edits.sort()
    side.set_layer("corrections", [Span(c.parts, c.label, f"ar.c{k}", c.attrs) for k, c in enumerate(corrections, 1)])
    side.views["corrected"] = apply_edits(reading, edits)
    return bitext
