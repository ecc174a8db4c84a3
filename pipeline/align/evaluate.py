"""The evaluation harness: bayan's aligner and Gale–Church against a corpus's gold.

For each corpus folder with ``alignment.gold.tsv``: strict and lax P/R/F1 for bayan and
for the Gale–Church baseline, and how the omission/addition flags did (every gold 1-0
and 0-1 sentence should be flagged, as an unaligned sentence or as the weakest member
of a suspicious merge; flags on beads without any such sentence are false flags).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..corpus import read_corpus_dir, require_gold
from ..process import process_entry
from .features import sentence_infos
from .gale_church import gale_church
from .score import Scores, check_gold, read_gold, score


@dataclass
class AlignmentReport:
    corpus: str
    bayan: Scores
    gale_church: Scores
    unaligned_gold: int
    unaligned_flagged: int
    false_flags: int
    beads: int

    def as_dict(self) -> dict:
        return {"corpus": self.corpus, "bayan": self.bayan.as_dict(), "gale_church": self.gale_church.as_dict(),
                "unaligned_gold": self.unaligned_gold, "unaligned_flagged": self.unaligned_flagged,
                "false_flags": self.false_flags, "beads": self.beads}


def evaluate_alignment(folder: Path) -> AlignmentReport:
    """Process a corpus folder and score its alignment against its gold."""
    entry = read_corpus_dir(folder)
    gold = read_gold(require_gold(folder, "alignment.gold.tsv"))
    bitext = process_entry(entry)
    check_gold(gold, [s.id for s in bitext.ar.layer("sentences")], [s.id for s in bitext.en.layer("sentences")])
    predicted = [(tuple(b["ar"]), tuple(b["en"])) for b in bitext.alignment]
    ar_infos, en_infos = sentence_infos(bitext.ar), sentence_infos(bitext.en)
    baseline = [(tuple(ar_infos[i].id for i in a), tuple(en_infos[j].id for j in e))
                for a, e in gale_church([i.length for i in ar_infos], [i.length for i in en_infos])]
    unaligned = {x for a, e in gold if not a or not e for x in a + e}
    flagged, false_flags = set(), 0
    for bead in bitext.alignment:
        members = set(bead["ar"] + bead["en"])
        if "omission" in bead["flags"] or "addition" in bead["flags"]:
            flagged |= members
        if "suspicious_merge" in bead["flags"]:
            flagged.add(bead["weakest"])
        if bead["flags"] and not members & unaligned:
            false_flags += 1
    return AlignmentReport(folder.name, score(predicted, gold), score(baseline, gold), len(unaligned),
                           len(unaligned & flagged), false_flags, len(bitext.alignment))
