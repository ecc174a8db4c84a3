"""Learn the comma model of pipeline/spell/noise.py from the TUNING side only.

* Context, from clean Arabic text (``CLEAN``: the tuning text, the development texts of
  corpora/ner, and the clean paragraphs of corpora/ocr/tune): for every ، . : inside a
  paragraph, the words since the sentence began (bucketed) and the next word (and its class).
* Channel, from corpora/ocr/tune/*.jsonl: what tesseract read where each mark was printed.

Writes pipeline/resources/ocr_punctuation.json.

    .venv/bin/python scripts/learn_punctuation.py
"""
from __future__ import annotations

import difflib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

from pipeline.spell.evaluate import _reading
from pipeline.spell.noise import LETTER, next_keys, since_bucket

ROOT = Path(__file__).resolve().parent.parent
LABELS = ("،", ".", ":")
#: Clean Arabic in the center's register: the tuning text and the named-entity texts read
#: while developing (never the OCR test sources, nor the held-out entity texts).
CLEAN = [ROOT / "corpora/tuning/iran-afghan-border-2022/ar.txt"] + [
    ROOT / "corpora/ner" / name / "ar.txt"
    for name in ("pamir-corridor-2023", "balochistan-coast-2025", "khyber-tirah-2024", "gilgit-karakoram-2023")]
TUNE = ROOT / "corpora/ocr/tune"


def clean_paragraphs() -> list[str]:
    """Paragraphs of the clean sources, each once (a tune paragraph that ar.txt already
    holds, maybe cut by a page break there, is skipped)."""
    paragraphs = {" ".join(p.split()) for path in CLEAN for p in path.read_text(encoding="utf-8").splitlines()}
    whole = " ".join(paragraphs)
    for line in (TUNE / "clean.jsonl").read_text(encoding="utf-8").splitlines():
        paragraph = " ".join(json.loads(line)["clean"].split())
        if paragraph[:40] not in whole:
            paragraphs.add(paragraph)
    return sorted(p for p in paragraphs if len(p.split()) > 8)


def context_events(paragraph: str):
    """(label, since-bucket, next word) for each mark followed by a word."""
    tokens = paragraph.split()
    since = 0
    for index, token in enumerate(tokens[:-1]):
        since += bool(re.search(f"[{LETTER}]", token))
        mark = token.rstrip("»\")")[-1:] if token.rstrip("»\")") else ""
        if mark in LABELS and not re.fullmatch(r"[\d.,:/]+", token):
            yield mark, since_bucket(since), tokens[index + 1]
        if mark in ".؟!":
            since = 0


def channel_counts() -> dict:
    """P(read | printed) for each mark printed inside a paragraph (all tune levels)."""
    counts: dict = defaultdict(Counter)
    for path in sorted(TUNE.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            clean, ocr = _reading(record["clean"]), _reading(record["ocr"])
            matcher = difflib.SequenceMatcher(a=clean, b=ocr, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                for k in range(i1, i2):
                    if clean[k] in LABELS and k + 1 < len(clean) and clean[k + 1] == " ":
                        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
                            counts[clean[k]][ocr[j1 + k - i1]] += 1
                        else:
                            counts[clean[k]][ocr[j1:j2].strip()[:1]] += 1
    return {label: {read: round((n + 0.5) / (sum(c.values()) + 2), 4) for read, n in c.items() if read in "،.:ء"}
            for label, c in counts.items()}


def main() -> None:
    labels, since, following = Counter(), defaultdict(Counter), defaultdict(Counter)
    words = Counter()
    for paragraph in clean_paragraphs():
        for label, bucket, word in context_events(paragraph):
            labels[label] += 1
            since[label][bucket] += 1
            keys = next_keys(word)
            following[label]["class:" + keys[-1]] += 1
            if len(keys) > 1:
                following[label][keys[0]] += 1
                words[keys[0]] += 1
    model = {"labels": dict(labels), "since": {k: dict(v) for k, v in since.items()},
             "next": {k: dict(v) for k, v in following.items()},
             "vocabulary": sorted(w for w, n in words.items() if n >= 2),
             "channel": channel_counts()}
    for label in LABELS:
        for table in ("since", "next", "channel"):
            model[table].setdefault(label, {})
    out = ROOT / "pipeline/resources/ocr_punctuation.json"
    out.write_text(json.dumps(model, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{out}: {dict(labels)}; channel {model['channel']}")


if __name__ == "__main__":
    main()
