"""Score the typo fixer and the noise repair on corpora/ocr/<set> (tune while tuning;
test once, at the end).

    .venv/bin/python scripts/eval_spelling.py tune
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.spell.evaluate import evaluate_level

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "tune"
    for level in ("light", "medium"):
        print(json.dumps(evaluate_level(ROOT / "corpora/ocr" / which / f"{level}.jsonl").as_dict(), ensure_ascii=False))
