"""Scoring entity mentions and cross-language links against ``entities.gold.tsv``.

Mentions match when language, sentence, surface (reading text, spaces normalized) and
type agree; ``untyped`` ignores the type. Link accuracy: among gold Arabic mentions that
name an English partner, the share whose predicted mention links to that English
surface. ``without_gold_entities`` runs with every gazetteer entry named in the gold
removed, to measure what rules and projection find on their own.
"""
from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..config import load_config
from ..corpus import read_corpus_dir, require_gold
from ..process import process_entry
from ..registry import build_pipeline


def _norm(text: str) -> str:
    return " ".join(text.split())


def read_entity_gold(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    names = ["lang", "sentence", "surface", "type", "role", "entity", "link"]
    rows = []
    for row in csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
        row += [""] * (len(names) - len(row))
        rows.append(dict(zip(names, row)))
    return rows


@dataclass
class PRF:
    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "predicted": self.predicted, "gold": self.gold}


@dataclass
class EntityReport:
    corpus: str
    by_language: dict[str, PRF] = field(default_factory=dict)
    untyped: dict[str, PRF] = field(default_factory=dict)
    by_type: dict[tuple[str, str], PRF] = field(default_factory=dict)
    links_correct: int = 0
    links_gold: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def link_accuracy(self) -> float:
        return self.links_correct / self.links_gold if self.links_gold else 0.0

    def as_dict(self) -> dict:
        return {"corpus": self.corpus, "by_language": {k: v.as_dict() for k, v in self.by_language.items()},
                "untyped": {k: v.as_dict() for k, v in self.untyped.items()},
                "by_type": {f"{lang}:{kind}": v.as_dict() for (lang, kind), v in sorted(self.by_type.items())},
                "link_accuracy": round(self.link_accuracy, 4), "links": f"{self.links_correct}/{self.links_gold}"}


def predicted_mentions(bitext) -> list[dict]:
    rows = []
    surfaces = {}
    for side in bitext.sides():
        view = side.views.get("reading") or side.view("raw")
        for span in side.layer("entities"):
            surfaces[span.id] = _norm(view.span_text(span))
    for side in bitext.sides():
        for span in side.layer("entities"):
            rows.append({"lang": side.lang, "sentence": span.attrs.get("s", ""), "surface": surfaces[span.id],
                         "type": span.label, "link": surfaces.get(span.attrs.get("link", ""), "")})
    return rows


def evaluate_entities(folder: Path, without_gold_entities: bool = False) -> EntityReport:
    """Process a corpus folder and score its entities against its gold."""
    entry = read_corpus_dir(folder)
    gold = read_entity_gold(require_gold(folder, "entities.gold.tsv"))
    config = load_config(None, entry.profile)
    if without_gold_entities:
        exclude = sorted({row["entity"] for row in gold if row["entity"]})
        for stage_name in ("ar.entities", "en.entities"):
            config.setdefault("stages", {}).setdefault(stage_name, {})["exclude"] = exclude
    bitext = process_entry(entry, pipeline=build_pipeline(config), config=config)
    predicted = predicted_mentions(bitext)
    report = EntityReport(folder.name + (" (gold names removed from gazetteer)" if without_gold_entities else ""))
    for lang in ("ar", "en"):
        gold_lang = [g for g in gold if g["lang"] == lang]
        pred_lang = [p for p in predicted if p["lang"] == lang]
        for typed, target in ((True, report.by_language), (False, report.untyped)):
            key = (lambda r: (r["sentence"], _norm(r["surface"]), r["type"])) if typed else \
                  (lambda r: (r["sentence"], _norm(r["surface"])))
            g, p = Counter(map(key, gold_lang)), Counter(map(key, pred_lang))
            target[lang] = PRF(sum((g & p).values()), sum(p.values()), sum(g.values()))
            if typed:
                report.errors += [f"missed {lang} {k}" for k in (g - p)] + [f"extra {lang} {k}" for k in (p - g)]
        for kind in sorted({r["type"] for r in gold_lang + pred_lang}):
            g = Counter((r["sentence"], _norm(r["surface"])) for r in gold_lang if r["type"] == kind)
            p = Counter((r["sentence"], _norm(r["surface"])) for r in pred_lang if r["type"] == kind)
            report.by_type[(lang, kind)] = PRF(sum((g & p).values()), sum(p.values()), sum(g.values()))
    predicted_links: dict[tuple[str, str], list[str]] = {}
    for row in predicted:
        if row["lang"] == "ar":
            predicted_links.setdefault((row["sentence"], row["surface"]), []).append(row["link"])
    for row in gold:
        if row["lang"] == "ar" and row["link"]:
            report.links_gold += 1
            candidates = predicted_links.get((row["sentence"], _norm(row["surface"])), [])
            if _norm(row["link"]) in [_norm(c) for c in candidates]:
                report.links_correct += 1
            else:
                report.errors.append(f"link {row['sentence']} {row['surface']} -> {row['link']} (got {candidates})")
    return report
