"""The ``ar.spellfix`` stage: OCR typo corrections as a layer; the raw text stays.

Runs after entities and alignment so that it can protect names (recognized mentions,
words in guillemets, gazetteer names) and use the aligned English sentence as evidence.
Each decision is a span of the ``corrections`` layer (before, after, rule, confidence,
applied); the ``corrected`` view is the reading text with the applied ones.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..align.lexicon import arabic_translations, english_stem
from ..document import Bitext, BlockText, Span
from ..registry import stage
from ..resources.gazetteer import strip_clitics
from ..rewrite import apply_edits
from ..spell.archive import context_with_archive
from ..spell.fixer import FixerOptions, decide, glued_punctuation, other_readings, plain
from ..spell.names import name_edit
from ..spell.noise import NoiseOptions, noise_edits
from ..spell.numbers import NumberOptions, number_edits


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
        document_weight: weight of a reading one letter away that the text (with the
            archive) writes far more often than Arabic in general does (its keyness; tuned
            on corpora/ocr/tune: الجدود → الحدود in a text on borders).
        noise_repair: also remove stray specks and restore misread commas (``spell/noise.py``),
            and numbers from the aligned English sentence (``spell/numbers.py``).
        noise_apply_threshold: confidence at which a speck or comma edit is applied.
        noise_flag_threshold: least confidence to suggest one.
        speck_confidence: confidence of removing a speck (precision on corpora/ocr/tune).
        number_confidence: of removing a short number that stands among specks.
        restore_number_confidence: of a number restored from the aligned English (lost
            digits, a misread percent sign).
        one_digit_confidence: of a number one digit away from the English one.
        stray_number_confidence: of removing a short number between two words that no
            English number of the bead can be.
        comma_odds_inside: factor on the odds that a sentence-ending mark was a misread
            comma when the sentence and the next one translate one English sentence
            together (tuned on corpora/ocr/tune with its English).
        comma_odds_boundary: the factor when the mark also ends an aligned English sentence.
        name_confidence: of reading a projected name as its gazetteer spelling, per OCR
            edit between them (``spell/names.py``).
        archive: a folder of Arabic ``.txt`` files (the archive) whose word pairs join the
            document's as context (``spell/archive.py``); "" for the document alone.
        recurring_words: a word spelled alike this many times in the document is no OCR
            slip (a loanword such as جرغة "jirga"): its fix is only suggested.
        loanword_zipf: an English word rarer than this in English (wordfreq's zipf scale)
            is a name or borrowing the Arabic may transliterate (Pashto, jirga, lashkar).
        sound_threshold: a word that sounds like such a word of its aligned English at
            least this much (``translit.name_similarity``), more than its reading does, is
            left as written.
    """

    apply_threshold: float = FixerOptions.apply_threshold
    flag_threshold: float = FixerOptions.flag_threshold
    context_weight: float = FixerOptions.context_weight
    english_weight: float = FixerOptions.english_weight
    real_word_margin: float = FixerOptions.real_word_margin
    document_weight: float = FixerOptions.document_weight
    noise_repair: bool = True
    noise_apply_threshold: float = NoiseOptions.apply_threshold
    noise_flag_threshold: float = NoiseOptions.flag_threshold
    speck_confidence: float = NoiseOptions.speck_confidence
    number_confidence: float = NoiseOptions.number_confidence
    restore_number_confidence: float = NumberOptions.restore_confidence
    one_digit_confidence: float = NumberOptions.one_digit_confidence
    stray_number_confidence: float = NumberOptions.stray_confidence
    comma_odds_inside: float = 16.0
    comma_odds_boundary: float = 0.5
    name_confidence: float = 0.95
    archive: str = ""
    recurring_words: int = 3
    loanword_zipf: float = 3.0
    sound_threshold: float = FixerOptions.sound_threshold

    def fixer(self) -> FixerOptions:
        return FixerOptions(self.apply_threshold, self.flag_threshold, self.context_weight,
                            self.english_weight, self.real_word_margin, document_weight=self.document_weight,
                            sound_threshold=self.sound_threshold)

    def numbers(self) -> NumberOptions:
        return NumberOptions(self.restore_number_confidence, self.one_digit_confidence,
                             self.stray_number_confidence)

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


def _name_words(bitext: Bitext, reading) -> set[str]:
    """The words of the document's names, without attached letters (to protect them where
    no rule found them again)."""
    words = set()
    for span in bitext.ar.layer("entities"):
        for a, b in span.parts:
            x, y = reading.offsets.from_raw(a, b)
            words.update(strip_clitics(plain(w)) for w in reading.text[x:y].split() if len(plain(w)) >= 3)
    return words


def _english_texts(bitext: Bitext) -> dict[str, str]:
    """English sentence id -> its reading text (empty without an aligned English side)."""
    if bitext.en is None or not bitext.alignment:
        return {}
    view = bitext.en.views.get("reading") or bitext.en.view("raw")
    return {s.id: BlockText.of(view, s).text for s in bitext.en.layer("sentences")}


def _stems(text: str) -> frozenset[str]:
    return frozenset(english_stem(w) for w in text.split())


def _loanwords(text: str, zipf: float) -> set[str]:
    """Names and borrowings of an English text: its capitalized words but a sentence's
    first, and the words English itself rarely writes (under ``zipf`` on wordfreq's scale:
    Pashto 2.5, jirga 2.1; dam 4.2)."""
    from wordfreq import zipf_frequency
    words = re.findall("[A-Za-z]{3,}", text)
    capitalized = {m.group(1).lower() for m in re.finditer(r"(?<![.!?] )(?<!^)\b([A-Z][a-z]{2,})", text)}
    return capitalized | {w for w in {m.lower() for m in words} if zipf_frequency(w, "en") < zipf}


def _english_words_by_sentence(bitext: Bitext, english_texts: dict[str, str], words_of=_stems
                               ) -> dict[str, set[str]]:
    """Arabic sentence id -> words (``words_of``: stems) of the English sentences aligned
    with it (one frozenset per bead, so that what is derived from it is cached once)."""
    if not english_texts:
        return {}
    english = {i: words_of(text) for i, text in english_texts.items()}
    result = {}
    for bead in bitext.alignment:
        words = frozenset().union(*(english[i] for i in bead["en"]))
        for sentence in bead["ar"]:
            result[sentence] = words
    return result


def _bead_texts(bitext: Bitext, reading, english: dict[str, str]):
    """Per bead with both sides: its Arabic reading text (sentence parts joined by a line
    break), where each part starts (text offset, reading offset), and its English text."""
    arabic = {s.id: s for s in bitext.ar.layer("sentences")}
    for bead in bitext.alignment:
        if not bead["ar"] or not bead["en"]:
            continue
        pieces, starts, length = [], [], 0
        for sentence in bead["ar"]:
            for start, end in arabic[sentence].parts:
                a, b = reading.offsets.from_raw(start, end)
                starts.append((length, a))
                pieces.append(reading.text[a:b])
                length += b - a + 1
        yield "\n".join(pieces), starts, " ".join(english[i] for i in bead["en"])


def _in_reading(starts: list[tuple[int, int]], offset: int) -> int:
    """A bead text offset as a reading-view offset (``starts`` from ``_bead_texts``)."""
    piece, origin = max((s for s in starts if s[0] <= offset), key=lambda s: s[0])
    return offset - piece + origin


def _restore_numbers(bitext: Bitext, reading, english_texts: dict[str, str], protected, corrections: list,
                     edits: list, options: SpellfixOptions) -> None:
    """Add number edits (lost digits, misread percent signs) from the aligned English."""
    if not english_texts:
        return
    side = bitext.ar
    for text, starts, english in _bead_texts(bitext, reading, english_texts):
        for a, b, after, rule, confidence in number_edits(text, english, options.numbers()):
            if confidence < options.noise_flag_threshold:
                continue
            a, b = _in_reading(starts, a), _in_reading(starts, b)
            start, end = reading.offsets.to_raw(a, b)
            if any(x < end and start < y for x, y in protected):
                continue
            applied = confidence >= options.noise_apply_threshold
            corrections.append(Span.at(start, end, "correction", None, before=side.raw[start:end], after=after,
                                       rule=rule, confidence=confidence, applied=applied,
                                       s=_sentence_at(side, start, end)))
            if applied:   # a removed number takes the space before it along
                edits.append((a - 1 if not after and a and reading.text[a - 1] == " " else a, b, after))


def _restore_names(bitext: Bitext, reading, corrections: list, edits: list, options: SpellfixOptions) -> None:
    """Add edits reading a projected gazetteer name as the gazetteer spells it."""
    from ..resources.gazetteer import load_gazetteer
    entries = load_gazetteer().entries
    side = bitext.ar
    for mention in side.layer("entities"):
        entry = entries.get(mention.attrs.get("entity", ""))
        if entry is None or mention.attrs.get("how") != "projected":
            continue
        a, b = reading.offsets.from_raw(mention.start, mention.end)
        found = name_edit(reading.text[a:b], [entry.ar, *entry.ar_variants], glued_punctuation())
        if found is None:
            continue
        after, rule, operations = found
        confidence = round(options.name_confidence ** operations, 3)
        if confidence < options.flag_threshold:
            continue
        applied = confidence >= options.apply_threshold
        corrections.append(Span.at(mention.start, mention.end, "correction", None,
                                   before=side.raw[mention.start:mention.end], after=after, rule=rule,
                                   confidence=confidence, applied=applied, s=mention.attrs.get("s")))
        if applied:
            edits.append((a, b, after))


def _sentence_at(side, start: int, end: int) -> str | None:
    return next((s.id for s in side.layer("sentences") if s.start <= start and end <= s.end), None)


def _comma_odds(bitext: Bitext, reading, english_texts: dict[str, str], options: SpellfixOptions
                ) -> dict[int, float]:
    """Reading offset of each Arabic sentence's final mark -> factor on its comma odds, from
    the alignment: inside what translates one English sentence, or at an English sentence end.

    In a bead of several Arabic and several English sentences, each English sentence end
    claims the Arabic one nearest to it by relative length; the Arabic ends left over fall
    inside an English sentence."""
    if not english_texts:
        return {}
    arabic = {s.id: s for s in bitext.ar.layer("sentences")}
    english_length = {i: len(text) for i, text in english_texts.items()}
    odds = {}
    for bead in bitext.alignment:
        if not bead["ar"] or not bead["en"]:
            continue
        marks = []
        for sentence in bead["ar"]:
            start, end = reading.offsets.from_raw(*arabic[sentence].parts[-1])
            text = reading.text[start:end].rstrip()
            first = reading.offsets.from_raw(*arabic[sentence].parts[0])[0]
            marks.append((start + len(text) - 1 if text and text[-1] in ".:ء" else None, end - first))
        real_ends = _english_ends_in_arabic([length for _, length in marks],
                                            [english_length.get(i, 0) for i in bead["en"]])
        for index, (offset, _) in enumerate(marks):
            if offset is None:
                continue
            last = index == len(marks) - 1
            odds[offset] = options.comma_odds_boundary if last or index in real_ends else options.comma_odds_inside
    for offset in _ends_before_fragments(bitext, reading):
        odds[offset] = odds.get(offset, 1.0) * options.comma_odds_inside
    return odds


def _ends_before_fragments(bitext: Bitext, reading) -> list[int]:
    """Reading offsets of the marks that end an Arabic sentence followed, in its block, by
    one the English has nothing for (a 1-0 bead): a fragment cut off by a misread comma
    (". نيمروز الأفغانية.")."""
    sentences = bitext.ar.layer("sentences")
    unaligned = {sid for bead in bitext.alignment if bead["ar"] and not bead["en"] for sid in bead["ar"]}
    offsets = []
    for before, sentence in zip(sentences, sentences[1:]):
        if sentence.id not in unaligned or before.id in unaligned \
                or before.attrs.get("block") != sentence.attrs.get("block"):
            continue
        start, end = reading.offsets.from_raw(*before.parts[-1])
        text = reading.text[start:end].rstrip()
        if text and text[-1] in ".:ء":
            offsets.append(start + len(text) - 1)
    return offsets


def _english_ends_in_arabic(arabic_lengths: list[int], english_lengths: list[int]) -> set[int]:
    """Indexes of the inner Arabic sentence ends that the inner English sentence ends fall
    on, each English end claiming the nearest unclaimed Arabic end by relative position."""
    def inner_ends(lengths):
        total, position, ends = max(1, sum(lengths)), 0, []
        for length in lengths[:-1]:
            position += length
            ends.append(position / total)
        return ends
    arabic, claimed = inner_ends(arabic_lengths), set()
    for end in inner_ends(english_lengths):
        free = [k for k in range(len(arabic)) if k not in claimed]
        if free:
            claimed.add(min(free, key=lambda k: abs(arabic[k] - end)))
    return claimed


#: A colon in running text (not in a time, 10:30).
_COLON = re.compile(r"[^\d\s]:\s")


def _colons_the_english_has(bitext: Bitext, reading, english_texts: dict[str, str],
                            tolerance: float = 0.1) -> set[int]:
    """Raw offsets of the Arabic colons that stand where the aligned English has one (at
    the same relative place in the bead, within ``tolerance``): the author's colons, not
    misread commas ("two Pashtun tribes: the Wazir …")."""
    found = set()
    for text, starts, english in _bead_texts(bitext, reading, english_texts):
        places = [m.start() / len(english) for m in _COLON.finditer(english)]
        for match in _COLON.finditer(text + " ") if places else ():
            if any(abs(match.start() / len(text) - place) <= tolerance for place in places):
                colon = _in_reading(starts, match.start() + 1)
                found.add(reading.offsets.to_raw(colon, colon + 1)[0])
    return found


def _repair_noise(bitext: Bitext, reading, english_texts: dict[str, str], protected, corrections: list,
                  edits: list, options: SpellfixOptions) -> None:
    """Add speck and comma edits (reading-view offsets) that touch no word correction or name;
    a title's or heading's colon is its own ("… الطائفية: جلجت بلتستان …"), and so is a
    colon whose aligned English has one too (a list: "two Pashtun tribes: the Wazir …")."""
    side = bitext.ar
    taken = [(c.start, c.end) for c in corrections] + protected
    headings = [(block.start, block.end) for block in side.layer("blocks") if block.label in ("title", "heading")]
    authors_colons = _colons_the_english_has(bitext, reading, english_texts)
    noise = options.noise()
    for a, b, after, rule, confidence in noise_edits(reading.text, options=noise,
                                                     comma_odds=_comma_odds(bitext, reading, english_texts, options)):
        if confidence < noise.flag_threshold:
            continue
        start, end = reading.offsets.to_raw(a, b)
        if any(x < end and start < y for x, y in taken) or start == end:
            continue
        if rule == "comma-misread" and side.raw[start:end] == ":" and (
                any(x <= start < y for x, y in headings) or start in authors_colons):
            continue
        applied = confidence >= noise.apply_threshold
        corrections.append(Span.at(start, end, "correction", None, before=side.raw[start:end], after=after,
                                   rule=rule, confidence=confidence, applied=applied,
                                   s=_sentence_at(side, start, end)))
        if applied:   # a removed speck takes the space before it along
            edits.append((a - 1 if not after and a and reading.text[a - 1] == " " else a, b, after))


@stage("ar.spellfix", requires=("ar.tokens",), provides=("ar.corrections", "ar.view.corrected"),
       options=SpellfixOptions)
def spellfix(bitext: Bitext, options: SpellfixOptions) -> Bitext:
    """Find OCR typos; apply the sure corrections, suggest the others."""
    side = bitext.ar
    reading = side.view("reading")
    protected = _protected(bitext)
    english_texts = _english_texts(bitext)
    english = _english_words_by_sentence(bitext, english_texts)
    loanwords = _english_words_by_sentence(bitext, english_texts,
                                           lambda text: _loanwords(text, options.loanword_zipf))
    tokens = [t for t in side.layer("tokens") if t.parts[0][1] - t.parts[0][0] > 0]
    words = [plain(reading.slice_raw(t.start, t.end)) for t in tokens]
    context = context_with_archive(reading.text, side.raw, options.archive)
    names = _name_words(bitext, reading)
    own_counts = Counter(strip_clitics(w) for w in words)
    corrections, edits = [], []
    fixer_options = options.fixer()
    for index, token in enumerate(tokens):
        if any(a < token.end and token.start < b for a, b in protected) or len(token.parts) > 1 \
                or strip_clitics(words[index]) in names:
            continue      # a name, or a word that is a name elsewhere in the document (تيراه in a title)
        left = words[index - 1] if index else None
        right = words[index + 1] if index + 1 < len(words) else None
        sentence = token.attrs.get("s")
        english_words = english.get(sentence, frozenset())
        decision = decide(words[index], left, right, context, english_words, fixer_options, arabic_translations,
                          loanwords.get(sentence, frozenset()))
        if decision is None or decision[2] < options.flag_threshold:
            continue
        after, rule, confidence = decision
        if own_counts[strip_clitics(words[index])] >= options.recurring_words:
            confidence = min(confidence, round(options.apply_threshold - 0.01, 3))   # جرغة, spelled alike 3 times
        applied = confidence >= options.apply_threshold
        others = [] if applied else other_readings(words[index], after, left, right, context, english_words,
                                                   fixer_options, arabic_translations)
        corrections.append(Span.at(token.start, token.end, "correction", None, before=side.raw[token.start:token.end],
                                   after=after, rule=rule, confidence=confidence, applied=applied,
                                   s=sentence, **({"others": others} if others else {})))
        if applied:
            a, b = reading.offsets.from_raw(token.start, token.end)
            edits.append((a, b, after))
    _restore_names(bitext, reading, corrections, edits, options)
    if options.noise_repair:
        _restore_numbers(bitext, reading, english_texts, protected, corrections, edits, options)
        _repair_noise(bitext, reading, english_texts, protected, corrections, edits, options)
    corrections.sort(key=lambda c: c.start)
    edits.sort()
    side.set_layer("corrections", [Span(c.parts, c.label, f"ar.c{k}", c.attrs) for k, c in enumerate(corrections, 1)])
    side.views["corrected"] = apply_edits(reading, edits)
    return bitext
