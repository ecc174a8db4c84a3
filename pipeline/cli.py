"""The ``bayan`` command: parse arguments, call the library, return an exit code.

Exit codes: 0 done; 1 bayan failed on good input (a bug: the message says what);
2 the input, the options or the configuration need fixing (the message says how).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import BayanError, ConfigError, InputError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _output_options(command: argparse.ArgumentParser) -> None:
    """Options shared by the commands that process one publication."""
    command.add_argument("-o", "--out", type=Path, help="output folder (default: out/<id>)")
    command.add_argument("--config", type=Path, help="a TOML file laid over the defaults")
    command.add_argument("--profile", help="a shipped publisher profile (e.g. bayan-center)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bayan", description="Arabic translations and their "
                                     "English originals as clean, annotated, aligned TEI.")
    parser.add_argument("--version", action="version", version=f"bayan {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    process = commands.add_parser("process", help="process one publication",
                                  description="Process an Arabic file (with --en, its English "
                                  "original) or a corpus folder holding both and a meta.toml.")
    process.add_argument("source", type=Path, help="AR_FILE (.txt, .pdf) or CORPUS_DIR")
    process.add_argument("--en", type=Path, help="the English original (.html, .txt, .md)")
    _output_options(process)
    process.add_argument("-v", "--verbose", action="store_true", help="print stage timings")

    align = commands.add_parser("align", help="align two texts (Arabic, English) given as files",
                                description="Align an Arabic translation with its English original: "
                                "writes TEI with the alignment, TMX and a TSV of beads.")
    align.add_argument("arabic", type=Path, help="the Arabic text (.txt, .pdf)")
    align.add_argument("english", type=Path, help="the English original (.html, .txt, .md)")
    _output_options(align)

    evaluate = commands.add_parser("eval", help="score bayan against the gold files of corpora")
    evaluate.add_argument("task", choices=["align", "entities"], help="what to score")
    evaluate.add_argument("corpora", type=Path, nargs="+", help="corpus folders with gold files")
    evaluate.add_argument("--json", action="store_true", help="print JSON instead of a table")
    evaluate.add_argument("--without-gold-entities", action="store_true",
                          help="entities: remove the gold's names from the gazetteer first")
    evaluate.add_argument("--errors", action="store_true", help="entities: list every miss")

    entities = commands.add_parser("entities", help="one entity table over processed documents",
                                   description="Aggregate the *.entities.parquet tables under output "
                                   "folders (of `bayan process` or `bayan batch`) into one table.")
    entities.add_argument("folders", type=Path, nargs="+", help="output folders")
    entities.add_argument("-o", "--out", type=Path, help="write the table (.parquet, .csv or .jsonl)")

    batch = commands.add_parser("batch", help="process a whole archive (a folder tree or a manifest)",
                                description="Process every publication under a folder (folders with "
                                "meta.toml, bare .txt/.pdf files) or listed in a manifest (.csv, .toml) "
                                "into OUT/<id>/; documents already done with the same inputs and "
                                "configuration are skipped, failures are recorded and the rest go on.")
    batch.add_argument("source", type=Path, help="a folder of publications or a manifest file")
    batch.add_argument("-o", "--out", type=Path, required=True, help="output folder")
    batch.add_argument("--manifest", action="store_true", help="read SOURCE as a manifest (.csv or .toml)")
    batch.add_argument("--workers", type=int, help="worker processes (default: one per CPU)")
    batch.add_argument("--executor", choices=["local", "dask"], default="local")
    batch.add_argument("--scheduler", help="Dask scheduler address (default: a local cluster)")
    batch.add_argument("--timeout", type=float, default=300.0, help="seconds per document (0: none)")
    batch.add_argument("--memory-gb", type=float, default=4.0, help="memory per worker (0: no limit)")
    batch.add_argument("--config", type=Path, help="a TOML file laid over the defaults")
    batch.add_argument("--quiet", action="store_true", help="no progress on stderr")

    corrections = commands.add_parser("corrections", help="list every typo fix and suggestion for review",
                                      description="List the corrections layer of processed documents "
                                      "(the <id>.json files in OUT_DIR): applied fixes and suggestions, one "
                                      "per line (tab-separated: document, line, sentence, state, change, rule, "
                                      "confidence, the words around it with the original in [brackets]).")
    corrections.add_argument("folders", type=Path, nargs="+", help="output folders")
    shown = corrections.add_mutually_exclusive_group()
    shown.add_argument("--applied", action="store_true", help="only applied fixes")
    shown.add_argument("--suggested", action="store_true", help="only suggestions")

    commands.add_parser("stages", help="list the registered stages")

    validate = commands.add_parser("validate", help="check TEI files against bayan's schema")
    validate.add_argument("files", type=Path, nargs="+", metavar="TEI_FILE_OR_DIR",
                          help="TEI files, or folders searched for *.tei.xml (a batch's output)")

    review = commands.add_parser("review", help="write the HTML review page of processed documents",
                                 description="Read OUT_DIR/*.json (written by `bayan process`) and write "
                                 "<id>.review.html next to each.")
    review.add_argument("out_dir", type=Path, help="an output folder (or one <id>.json)")
    review.add_argument("-o", "--out", type=Path, help="the HTML file to write (one document only)")

    show = commands.add_parser("show", help="aligned pairs of processed documents in the terminal")
    show.add_argument("out_dir", type=Path, help="an output folder (or one <id>.json)")
    show.add_argument("--flagged", action="store_true", help="only flagged beads")
    show.add_argument("--bidi", action=argparse.BooleanOptionalAction, default=True,
                      help="shape Arabic and put it in visual order (default); --no-bidi for terminals that do")
    show.add_argument("--no-pager", dest="pager", action="store_false", help="print without a pager")
    return parser


def _run_one(entry, args, formats: list[str] | None = None):
    """Process one corpus entry with the user's configuration and write its outputs."""
    from .config import load_config
    from .export import write_outputs
    from .process import process_entry
    from .registry import build_pipeline

    config = load_config(args.config, args.profile or entry.profile)
    bitext = process_entry(entry, pipeline=build_pipeline(config), config=config)
    formats = formats or list(config.get("output", {}).get("formats", ["tei"]))
    written = write_outputs(bitext, args.out or Path("out") / entry.doc_id, formats)
    for line in bitext.log:
        print(f"note: {line}", file=sys.stderr)
    for path in written:
        print(path)
    return bitext


def _process(args) -> int:
    from .corpus import read_corpus_dir
    from .process import entry_for_files

    if args.source.is_dir():
        if args.en:
            raise InputError(args.source, "is a corpus folder; --en is only for a single Arabic file")
        entry = read_corpus_dir(args.source)
    else:
        entry = entry_for_files(args.source, args.en, args.profile)
    bitext = _run_one(entry, args)
    if args.verbose:
        for name, seconds in bitext.timings.items():
            print(f"{name:16} {seconds:8.3f} s", file=sys.stderr)
    return EXIT_OK


def _align(args) -> int:
    from .process import entry_for_files

    bitext = _run_one(entry_for_files(args.arabic, args.english, args.profile), args, ["tei", "tmx", "beads"])
    counts: dict[str, int] = {}
    for bead in bitext.alignment:
        for flag in bead["flags"]:
            counts[flag] = counts.get(flag, 0) + 1
    print(f"{len(bitext.alignment)} beads; flags: "
          + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"), file=sys.stderr)
    return EXIT_OK


def _eval(args) -> int:
    import json
    if args.task == "entities":
        return _eval_entities(args)
    from .align.evaluate import evaluate_alignment
    reports = [evaluate_alignment(folder) for folder in args.corpora]
    if args.json:
        print(json.dumps([r.as_dict() for r in reports], indent=1))
        return EXIT_OK
    print(f"{'corpus':32} {'':12} {'strict P':>8} {'R':>6} {'F1':>6}   {'lax P':>6} {'R':>6} {'F1':>6}")
    for report in reports:
        for name, scores in (("bayan", report.bayan), ("Gale-Church", report.gale_church)):
            print(f"{report.corpus:32} {name:12} {scores.strict_p:8.3f} {scores.strict_r:6.3f} "
                  f"{scores.strict_f1:6.3f}   {scores.lax_p:6.3f} {scores.lax_r:6.3f} {scores.lax_f1:6.3f}")
        print(f"{'':32} unaligned sentences flagged {report.unaligned_flagged}/{report.unaligned_gold}, "
              f"false flags {report.false_flags}/{report.beads} beads")
    return EXIT_OK


def _eval_entities(args) -> int:
    import json
    from .entities.evaluate import evaluate_entities
    reports = [evaluate_entities(folder, args.without_gold_entities) for folder in args.corpora]
    if args.json:
        print(json.dumps([r.as_dict() for r in reports], indent=1, ensure_ascii=False))
        return EXIT_OK
    for report in reports:
        print(report.corpus)
        for lang in ("ar", "en"):
            typed, untyped = report.by_language[lang], report.untyped[lang]
            print(f"  {lang}: P {typed.precision:.3f} R {typed.recall:.3f} F1 {typed.f1:.3f} "
                  f"(untyped F1 {untyped.f1:.3f}; {typed.gold} gold mentions)")
            for (type_lang, kind), prf in sorted(report.by_type.items()):
                if type_lang == lang:
                    print(f"      {kind:17} P {prf.precision:.3f} R {prf.recall:.3f} F1 {prf.f1:.3f} ({prf.gold})")
        print(f"  links: accuracy {report.link_accuracy:.3f} ({report.links_correct}/{report.links_gold})")
        if args.errors:
            for error in report.errors:
                print("   ", error)
    return EXIT_OK


def _entities(args) -> int:
    from .export.tables import aggregate_tables
    table = aggregate_tables(args.folders)
    if table.num_rows == 0:
        print("no *.entities.parquet tables found under " + ", ".join(map(str, args.folders)), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.out:
        from .export.tables import write_table
        write_table(table, args.out)
        print(args.out)
    frame = table.to_pandas()
    print(f"{len(frame)} mentions in {frame['doc'].nunique()} documents")
    top = (frame[frame["lang"] == "ar"].groupby(["type", "entity", "canonical_en"]).size()
           .sort_values(ascending=False).head(25))
    for (kind, entity, name), count in top.items():
        print(f"{count:6}  {kind:17} {entity:32} {name}")
    return EXIT_OK


def _batch(args) -> int:
    from .batch import options_from_args, run_batch
    return run_batch(options_from_args(args))


def _corrections(args) -> int:
    import json
    from .document import Bitext
    documents = [p for folder in args.folders for p in sorted(Path(folder).rglob("*.json"))
                 if not p.name.startswith(".")]
    if not documents:
        print("no processed documents (*.json) under " + ", ".join(map(str, args.folders)), file=sys.stderr)
        return EXIT_BAD_INPUT
    for path in documents:
        try:
            bitext = Bitext.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, KeyError):
            continue   # not a bayan document
        for span in bitext.ar.layer("corrections"):
            attrs = span.attrs
            if (args.applied and not attrs["applied"]) or (args.suggested and attrs["applied"]):
                continue
            line = bitext.ar.raw.count("\n", 0, span.start) + 1
            state = "applied  " if attrs["applied"] else "suggested"
            others = "".join(f" | {other}" for other in attrs.get("others", []))
            print(f"{bitext.meta.doc_id}\tline {line}\t{attrs.get('s', '')}\t{state}\t{attrs['before']} → "
                  f"{attrs['after']}{others}\t{attrs['rule']}\t{attrs['confidence']:.3f}\t"
                  f"{_words_around(bitext.ar.raw, span.start, span.end)}")
    return EXIT_OK


def _words_around(raw: str, start: int, end: int, words: int = 4) -> str:
    """The change in its context: a few words either side, the original in [brackets]."""
    before = " ".join(raw[:start].split()[-words:])
    after = " ".join(raw[end:].split()[:words])
    return f"{before} [{raw[start:end]}] {after}".strip()


def _stages(args) -> int:
    from .registry import READER_PROVIDES, registered_stages
    print(f"given by the readers: {', '.join(READER_PROVIDES)}")
    for name, spec in sorted(registered_stages().items()):
        print(f"{name:14} {spec.doc}")
        print(f"{'':14} requires: {', '.join(spec.requires) or '-'}; provides: {', '.join(spec.provides)}")
    return EXIT_OK


def _validate(args) -> int:
    from lxml import etree
    from .export.tei import validate
    status = EXIT_OK
    files = []
    for path in args.files:
        found = sorted(path.rglob("*.tei.xml")) if path.is_dir() else [path] if path.exists() else []
        if not found:
            print(f"{path}: {'no TEI files (*.tei.xml) in this folder' if path.is_dir() else 'no such file'}",
                  file=sys.stderr)
            status = EXIT_BAD_INPUT
        files += found
    for path in files:
        try:
            tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        except (OSError, etree.XMLSyntaxError) as exc:
            print(f"{path}: not well-formed XML: {exc}", file=sys.stderr)
            status = EXIT_BAD_INPUT
            continue
        errors = validate(tree)
        print(f"{path}: {'valid' if not errors else 'INVALID'}")
        for error in errors:
            print(f"  {error}", file=sys.stderr)
        if errors:
            status = EXIT_BAD_INPUT
    return status


def _review(args) -> int:
    from .export import write_atomically
    from .export.review import load_documents, review_html
    documents = load_documents(args.out_dir)
    if args.out and len(documents) > 1:
        raise InputError(args.out_dir, f"holds {len(documents)} documents; -o names one file",
                         "leave out -o to write <id>.review.html next to each")
    for path, bitext in documents:
        target = args.out or path.with_name(f"{bitext.meta.doc_id or path.stem}.review.html")
        write_atomically(target, review_html(bitext))
        print(target)
    return EXIT_OK


def _show(args) -> int:
    from .export.review import load_documents
    from .export.terminal import show
    documents = load_documents(args.out_dir)
    show([bitext for _, bitext in documents], flagged_only=args.flagged, bidi=args.bidi, pager=args.pager)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run ``bayan`` with ``argv`` (default: the process's arguments)."""
    args = _parser().parse_args(argv)
    handlers = {"process": _process, "align": _align, "eval": _eval, "entities": _entities, "corrections": _corrections, "batch": _batch,
                "stages": _stages, "validate": _validate, "review": _review, "show": _show}
    try:
        return handlers[args.command](args)
    except (InputError, ConfigError) as exc:
        print(f"bayan: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BayanError as exc:
        print(f"bayan: failed: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
