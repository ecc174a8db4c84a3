"""Score the typo fixer and the noise repair on corpora/ocr/<set> (tune while tuning;
test once, at the end): from the Arabic alone, then with the English originals of
corpora/ocr/partners.toml (the whole pipeline, aligned English as evidence). ``clean``
lists what the stage changes in the clean texts of tests/floors.toml [spelling.clean].

    .venv/bin/python scripts/eval_spelling.py tune [--arabic-only]
    .venv/bin/python scripts/eval_spelling.py clean
"""
from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

from pipeline.spell.evaluate import evaluate_clean, evaluate_level, read_partners

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    which = next((a for a in sys.argv[1:] if not a.startswith("--")), "tune")
    if which == "clean":
        floors = tomllib.loads((ROOT / "tests/floors.toml").read_text(encoding="utf-8"))["spelling"]["clean"]
        print(json.dumps(evaluate_clean([ROOT / f for f in floors["folders"]]).as_dict(), ensure_ascii=False, indent=1))
        sys.exit(0)
    modes = {"arabic": None}
    if "--arabic-only" not in sys.argv:
        modes["english"] = read_partners(ROOT / "corpora/ocr/partners.toml")
    for mode, english in modes.items():
        for level in ("light", "medium"):
            report = evaluate_level(ROOT / "corpora/ocr" / which / f"{level}.jsonl", english=english)
            print(json.dumps({"with": mode, **report.as_dict()}, ensure_ascii=False))
