"""Scoring the typo fixer on real OCR output (``corpora/ocr/{tune,test}/<level>.jsonl``).

Each record holds a clean paragraph and tesseract's reading of it. The fixer corrects
the OCR text (context: every OCR paragraph of the set, as an archive would give it);
then, per noise level:

* **CER** (character error rate against the clean text, both in bayan's reading
  normalization): of the raw OCR, after normalization alone, after normalization and
  the applied corrections;
* **word-level precision, recall and F1 of corrections**: a correction is right when it
  turns an OCR word into the clean word it replaced (words aligned with difflib); recall
  is over OCR words that differ from their clean word; per error kind (non-word: the OCR
  word is not a known word; real-word: it is one). Suggestions are counted apart: how many
  have the right reading, and how many mark an OCR error at all.
* **noise edits** (stray specks, misread commas: ``noise.py``), scored apart: an edit is
  right when, alone, it brings the OCR paragraph closer to the clean one (fewer
  character edits in the reading normalization).

With ``english`` (record-id prefix -> the English original, ``corpora/ocr/partners.toml``)
the paragraphs of a prefix are joined into one document and run through the whole
pipeline with their English page: alignment, names protected, the aligned English
sentence as evidence (numbers restored from it). Records without a partner are corrected
from the Arabic alone.
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..document import OffsetMap, View
from ..rewrite import apply_edits
from ..stages.normalize import normalize_view
from .fixer import DocumentContext, FixerOptions, decide, is_known, plain
from .noise import NoiseOptions, noise_edits, uses_western_digits

NOISE_RULES = {"stray-speck", "stray-number", "comma-misread", "comma-after-number", "lost-digits",
               "percent-misread", "one-digit-misread"}
_WORD = re.compile("[\u0621-\u064a\u064b-\u0652\u0640]+")


def _reading(text: str) -> str:
    return " ".join(normalize_view(View(text, OffsetMap.identity(len(text))))[0].text.split())


def distance(hypothesis: str, reference: str) -> int:
    """Character edits between the two texts (difflib's opcodes; a replacement counts its longer side)."""
    matcher = difflib.SequenceMatcher(a=reference, b=hypothesis, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def cer(hypothesis: str, reference: str) -> float:
    return distance(hypothesis, reference) / max(1, len(reference))


def apply(text: str, edits) -> str:
    """``text`` with (start, end, after, ...) edits, sorted and apart, applied."""
    return apply_edits(View(text, OffsetMap.identity(len(text))), [edit[:3] for edit in edits]).text


def correct_text(text: str, context: DocumentContext, options: FixerOptions,
                 noise: NoiseOptions | None = None, western: bool = True) -> tuple[str, list, list]:
    """The text with applied corrections; every word decision and noise edit (applied or flagged)."""
    words = list(_WORD.finditer(text))
    decisions, edits = [], []
    for index, match in enumerate(words):
        word = plain(match.group(0))
        left = plain(words[index - 1].group(0)) if index else None
        right = plain(words[index + 1].group(0)) if index + 1 < len(words) else None
        decision = decide(word, left, right, context, options=options)
        if decision is None or decision[2] < options.flag_threshold:
            continue
        applied = decision[2] >= options.apply_threshold
        decisions.append((word, decision[0], decision[1], decision[2], applied))
        if applied:
            edits.append((match.start(), match.end(), decision[0]))
    noisy = [] if noise is None else [(a, b, after, rule, c, c >= noise.apply_threshold)
                                      for a, b, after, rule, c in noise_edits(text, western, noise)
                                      if c >= noise.flag_threshold]
    taken = [(a, b) for a, b, _ in edits]
    noisy = [e for e in noisy if not any(e[0] < b and a < e[1] for a, b in taken)]
    applied_edits = sorted(edits + [e[:3] for e in noisy if e[5]])
    return apply(text, applied_edits), decisions, noisy


@dataclass
class LevelReport:
    level: str
    words: int = 0
    cer_raw: float = 0.0
    cer_normalized: float = 0.0
    cer_corrected: float = 0.0
    applied: int = 0
    applied_right: int = 0
    flagged: int = 0
    flagged_right: int = 0
    flagged_errors: int = 0     # flagged words that are OCR errors, whatever the reading
    errors: dict = field(default_factory=lambda: {"non-word": 0, "real-word": 0})
    fixed: dict = field(default_factory=lambda: {"non-word": 0, "real-word": 0})
    noise: dict = field(default_factory=dict)      # rule -> applied, right, flagged, flagged right

    def as_dict(self) -> dict:
        precision = self.applied_right / self.applied if self.applied else 0.0
        total_errors = sum(self.errors.values())
        recall = self.applied_right / total_errors if total_errors else 0.0
        return {"level": self.level, "words": self.words, "cer_raw": round(self.cer_raw, 4),
                "cer_normalized": round(self.cer_normalized, 4), "cer_corrected": round(self.cer_corrected, 4),
                "cer_reduction_vs_normalized": round(1 - self.cer_corrected / self.cer_normalized, 4)
                if self.cer_normalized else 0.0,
                "applied": self.applied, "precision": round(precision, 4), "recall": round(recall, 4),
                "f1": round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0,
                "flagged": self.flagged, "flagged_right": self.flagged_right,
                "flagged_errors": self.flagged_errors,
                "errors": self.errors, "fixed": self.fixed, **self._noise_dict()}

    def _noise_dict(self) -> dict:
        applied = sum(v[0] for v in self.noise.values())
        right = sum(v[1] for v in self.noise.values())
        return {"noise_applied": applied, "noise_precision": round(right / applied, 4) if applied else 0.0,
                "noise_flagged": sum(v[2] for v in self.noise.values()),
                "noise_flagged_right": sum(v[3] for v in self.noise.values()),
                "noise_by_rule": {rule: dict(zip(("applied", "right", "flagged", "flagged_right"), v))
                                  for rule, v in sorted(self.noise.items())}}


def evaluate_level(path: Path, options: FixerOptions = FixerOptions(),
                   noise: NoiseOptions | None = NoiseOptions(), english: dict[str, Path] | None = None,
                   config: Path | None = None) -> LevelReport:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    context = DocumentContext([r["ocr"] for r in records])
    western = uses_western_digits("\n".join(r["ocr"] for r in records))
    piped = _through_pipeline(records, english, config) if english else {}
    report = LevelReport(path.stem)
    raw_edits = normalized_edits = corrected_edits = reference_length = 0
    for record in records:
        clean = _reading(record["clean"])
        corrected, decisions, noisy = piped.get(record["id"]) or \
            correct_text(record["ocr"], context, options, noise, western)
        _score_noise(report, record["ocr"], clean, noisy)
        reference_length += len(clean)
        raw_edits += cer(" ".join(record["ocr"].split()), clean) * len(clean)
        normalized_edits += cer(_reading(record["ocr"]), clean) * len(clean)
        corrected_edits += cer(_reading(corrected), clean) * len(clean)
        truth = _word_truth(record["clean"], record["ocr"])
        report.words += len(truth)
        for observed, intended in truth:
            if observed != intended and _WORD.fullmatch(observed) and _WORD.fullmatch(intended.replace(" ", "")):
                kind = "real-word" if is_known(observed) else "non-word"
                report.errors[kind] += 1
        wanted = {}
        for observed, intended in truth:
            wanted.setdefault(observed, []).append(intended)
        for before, after, rule, confidence, applied in decisions:
            letters = " ".join(_WORD.findall(after))       # "كابل،" restores "كابل" + its comma
            right = letters in wanted.get(before, []) and letters != before
            if applied:
                report.applied += 1
                report.applied_right += right
                if right:
                    report.fixed["real-word" if rule == "real-word" else "non-word"] += 1
            else:
                report.flagged += 1
                report.flagged_right += right
                report.flagged_errors += any(intended != before for intended in wanted.get(before, []))
    report.cer_raw = raw_edits / reference_length
    report.cer_normalized = normalized_edits / reference_length
    report.cer_corrected = corrected_edits / reference_length
    return report


def read_partners(path: Path) -> dict[str, Path]:
    """Record-id prefix -> English original, from ``partners.toml`` (paths from the repo root)."""
    import tomllib
    root = path.resolve().parent.parent.parent
    return {prefix: root / file for prefix, file in tomllib.loads(path.read_text(encoding="utf-8")).items()}


def _through_pipeline(records: list[dict], english: dict[str, Path],
                      config: Path | None = None) -> dict[str, tuple[str, list, list]]:
    """Record id -> (corrected text, word decisions, noise edits) from the whole pipeline
    (``config`` laid over the defaults), the records of one prefix read as one document
    beside its English original."""
    import tempfile
    from ..process import entry_for_files, process_entry
    groups: dict[str, list[dict]] = {}
    for record in records:
        groups.setdefault(record["id"].rsplit("-", 1)[0], []).append(record)
    result = {}
    for prefix, group in groups.items():
        if prefix not in english:
            continue
        text = "\n\n".join(" ".join(r["ocr"].split()) for r in group) + "\n"
        with tempfile.TemporaryDirectory() as folder:
            arabic = Path(folder) / f"{prefix}.txt"
            arabic.write_text(text, encoding="utf-8")
            bitext = process_entry(entry_for_files(arabic, english[prefix]), config)
        starts, offset = [], 0
        for record in group:
            starts.append(offset)
            offset += len(" ".join(record["ocr"].split())) + 2
        corrected = [p for p in bitext.ar.views["corrected"].text.split("\n\n") if p.strip()]
        if len(corrected) != len(group):
            raise ValueError(f"{prefix}: {len(corrected)} corrected paragraphs for {len(group)} records")
        for index, record in enumerate(group):
            start, end = starts[index], starts[index] + len(" ".join(record["ocr"].split()))
            decisions, noisy = [], []
            for span in bitext.ar.layer("corrections"):
                if not start <= span.start < end:
                    continue
                attrs = span.attrs
                if attrs["rule"] in NOISE_RULES:
                    noisy.append((span.start - start, span.end - start, attrs["after"], attrs["rule"],
                                  attrs["confidence"], attrs["applied"]))
                else:
                    decisions.append((plain(attrs["before"]), attrs["after"], attrs["rule"], attrs["confidence"],
                                      attrs["applied"]))
            result[record["id"]] = (corrected[index], decisions, noisy)
    return result


def _score_noise(report: LevelReport, ocr: str, clean: str, noisy: list) -> None:
    """Count each noise edit right when, alone, it brings the OCR closer to the clean text."""
    before = distance(_reading(ocr), clean)
    for start, end, after, rule, confidence, applied in noisy:
        right = distance(_reading(apply(ocr, [(start, end, after)])), clean) < before
        counts = report.noise.setdefault(rule, [0, 0, 0, 0])
        counts[0 if applied else 2] += 1
        counts[1 if applied else 3] += right


def _word_truth(clean: str, ocr: str) -> list[tuple[str, str]]:
    """(OCR word, clean word) pairs for aligned words, punctuation stripped."""
    a = [plain(w) for w in _WORD.findall(clean)]
    b = [plain(w) for w in _WORD.findall(ocr)]
    pairs = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            pairs += [(w, w) for w in b[j1:j2]]
        elif tag == "replace" and i2 - i1 == j2 - j1:
            pairs += list(zip(b[j1:j2], a[i1:i2]))
        elif tag == "replace" and j2 - j1 == 1:
            pairs.append((b[j1], " ".join(a[i1:i2])))
        elif tag == "replace":
            pairs += _align_words(a[i1:i2], b[j1:j2])
    return pairs


def _align_words(clean: list[str], ocr: list[str]) -> list[tuple[str, str]]:
    """(OCR word, clean word or two) pairs of a stretch where OCR split, merged, dropped or
    added words (مارزس و for مارس; تذكرافي for تذكر في): a least-cost alignment where a
    word read for a word costs twice its share of differing letters, a word dropped or
    added costs 1, and one OCR word may stand for two clean ones (at 1 more: a space lost)
    or two OCR words for one clean word (a word split, which pairs no word)."""
    def cost(x: str, y: str) -> float:
        return 2 * (1 - difflib.SequenceMatcher(a=x, b=y, autojunk=False).ratio())

    n, m = len(clean), len(ocr)
    best = {(n, m): (0.0, None)}
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if (i, j) == (n, m):
                continue
            options = []
            if i < n:
                options.append((1 + best[(i + 1, j)][0], (1, 0)))
            if j < m:
                options.append((1 + best[(i, j + 1)][0], (0, 1)))
            if i < n and j < m:
                options.append((cost(clean[i], ocr[j]) + best[(i + 1, j + 1)][0], (1, 1)))
            if i + 1 < n and j < m:
                options.append((1 + cost(clean[i] + clean[i + 1], ocr[j]) + best[(i + 2, j + 1)][0], (2, 1)))
            if i < n and j + 1 < m:
                options.append((1 + cost(clean[i], ocr[j] + ocr[j + 1]) + best[(i + 1, j + 2)][0], (1, 2)))
            best[(i, j)] = min(options)
    pairs, i, j = [], 0, 0
    while (i, j) != (n, m):
        step = best[(i, j)][1]
        if step in ((1, 1), (2, 1)):
            pairs.append((ocr[j], " ".join(clean[i:i + step[0]])))
        i, j = i + step[0], j + step[1]
    return pairs


@dataclass
class CleanReport:
    """What the stage changes in clean text (every change there is a false one)."""

    words: int = 0
    applied: list = field(default_factory=list)      # (folder, before, after, rule, confidence)
    suggested: list = field(default_factory=list)

    def as_dict(self) -> dict:
        per_1000 = 1000 / max(1, self.words)
        return {"words": self.words, "applied": len(self.applied), "suggested": len(self.suggested),
                "applied_per_1000_words": round(len(self.applied) * per_1000, 3),
                "suggested_per_1000_words": round(len(self.suggested) * per_1000, 3),
                "changes": [list(c) for c in self.applied + self.suggested]}


def evaluate_clean(folders: list[Path]) -> CleanReport:
    """Run the whole pipeline on corpus folders of clean text (Arabic and English) and
    collect every correction it applies or suggests."""
    from ..config import load_config
    from ..corpus import read_corpus_dir
    from ..process import process_entry
    from ..registry import build_pipeline
    report = CleanReport()
    for folder in folders:
        entry = read_corpus_dir(folder)
        config = load_config(None, entry.profile)
        bitext = process_entry(entry, pipeline=build_pipeline(config), config=config)
        report.words += len(_WORD.findall(bitext.ar.raw))
        for span in bitext.ar.layer("corrections"):
            a = span.attrs
            change = (folder.name, a["before"], a["after"], a["rule"], a["confidence"])
            (report.applied if a["applied"] else report.suggested).append(change)
    return report
