"""Learn the OCR noisy channel from real tesseract output on the TUNING set only.

Reads corpora/ocr/tune/*.jsonl (clean text and tesseract's output per paragraph, made by
scripts/make_ocr_noise.py), aligns words, and counts character edits between each clean
word and what tesseract made of it. Writes pipeline/resources/ocr_confusions.json:
P(edit | intended character), the share of words OCR leaves intact, and a floor.

    .venv/bin/python scripts/learn_confusions.py corpora/ocr/tune
"""
from __future__ import annotations

import argparse
import difflib
import json
from collections import Counter
from pathlib import Path

from camel_tools.utils.dediac import dediac_ar

from pipeline.spell.channel import edit_operations

ROOT = Path(__file__).resolve().parent.parent


def words(text: str) -> list[str]:
    return dediac_ar(text).replace("\u0640", "").split()


def word_pairs(clean: str, ocr: str):
    """(clean word, OCR word) pairs, including merges/splits as two-word strings."""
    a, b = words(clean), words(ocr)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            yield from ((w, w) for w in a[i1:i2])
        elif tag == "replace" and i2 - i1 == j2 - j1:
            yield from zip(a[i1:i2], b[j1:j2])
        elif tag == "replace":
            yield " ".join(a[i1:i2]), " ".join(b[j1:j2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path, nargs="?", default=ROOT / "corpora" / "ocr" / "tune")
    parser.add_argument("--out", type=Path, default=ROOT / "pipeline" / "resources" / "ocr_confusions.json")
    args = parser.parse_args()
    operations: Counter = Counter()
    characters: Counter = Counter()
    intact = total = 0
    for path in sorted(args.folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for clean, ocr in word_pairs(record["clean"], record["ocr"]):
                total += 1
                characters.update(clean)
                characters[""] += len(clean) + 1          # places where a character can be inserted
                if clean == ocr:
                    intact += 1
                    continue
                edits = edit_operations(clean, ocr)
                if len(edits) <= 3:
                    operations.update(f"{s}>{t}" for s, t in edits)
    probabilities = {key: count / max(1, characters[key.split(">")[0]]) for key, count in operations.items()
                     if count >= 2}
    table = {"source": str(args.folder.relative_to(ROOT) if args.folder.is_relative_to(ROOT) else args.folder),
             "words": total, "p_correct_word": round(intact / total, 4),
             "floor": round(min(probabilities.values(), default=1e-3) / 4, 6),
             "operations": dict(sorted(((k, round(v, 6)) for k, v in probabilities.items()),
                                       key=lambda kv: -kv[1]))}
    args.out.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{total} words, {intact / total:.3f} intact, {len(probabilities)} operations -> {args.out}")
    for key, value in list(table["operations"].items())[:15]:
        print(f"  {key!r}: {value:.4f}")


if __name__ == "__main__":
    main()
