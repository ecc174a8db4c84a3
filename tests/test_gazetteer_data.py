"""Checks on the bilingual gazetteer data file, pipeline/resources/gazetteer.tsv.

The file is UTF-8, tab-separated, unquoted; '#' comment lines are allowed only
before the header line.
"""
from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

GAZETTEER = Path(__file__).resolve().parent.parent / "pipeline" / "resources" / "gazetteer.tsv"

COLUMNS = ["id", "type", "role", "en", "en_variants", "ar", "ar_variants",
           "wikidata", "parent", "note"]
TYPES = {"PERSON", "PROVINCE", "DISTRICT_CITY", "COUNTRY", "GROUP", "ORG", "ETHNIC_RELIGIOUS"}
PERSON_ROLES = {"leader", "spokesman", "commander", "official", "scholar"}
PROVINCE_ROLES = {"", "historical"}
CITY_ROLES = {"", "capital"}     # a national capital: may stand for its government

AFGHAN_PROVINCES = [
    "Badakhshan", "Badghis", "Baghlan", "Balkh", "Bamyan", "Daykundi", "Farah", "Faryab",
    "Ghazni", "Ghor", "Helmand", "Herat", "Jowzjan", "Kabul", "Kandahar", "Kapisa", "Khost",
    "Kunar", "Kunduz", "Laghman", "Logar", "Nangarhar", "Nimruz", "Nuristan", "Paktia",
    "Paktika", "Panjshir", "Parwan", "Samangan", "Sar-e Pol", "Takhar", "Uruzgan", "Wardak",
    "Zabul",
]

# Arabic diacritics (tanwin, harakat, shadda, sukun).
DIACRITICS = re.compile("[\u064b-\u0652]")
# Arabic letters (hamza .. yeh) and single inner spaces; tatweel is excluded below.
ARABIC_NAME = re.compile(r"^[\u0621-\u063a\u0641-\u064a]+( [\u0621-\u063a\u0641-\u064a]+)*$")
# Persian/Urdu letters that the normalizer folds into Arabic ones (keheh, farsi yeh, ...):
# written in the gazetteer they would never match the normalized text.
FOLDED_LETTERS = re.compile("[\u06a9\u06aa\u06c1\u06be\u06c3\u06c0\u06d5\u06cc\u06d2]")
QID = re.compile(r"^Q[0-9]+$")


def _split(field: str) -> list[str]:
    return field.split("|") if field else []


def _key(name: str) -> str:
    """Roughly the pipeline's matching key: alef forms, alef maksura and teh marbuta folded."""
    name = re.sub("[\u0622\u0623\u0625\u0671]", "\u0627", name)
    name = name.replace("\u0649", "\u064a").replace("\u0629", "\u0647")
    return " ".join(name.split())


def _fold(name: str) -> str:
    """A looser form for cross-id checks: the key with a leading article ال dropped."""
    name = _key(name)
    if name.startswith("\u0627\u0644") and len(name) > 4:
        name = name[2:]
    return name


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return GAZETTEER.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def table(lines) -> list[list[str]]:
    body = lines
    while body and body[0].startswith("#"):
        body = body[1:]
    return list(csv.reader(body, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def rows(table) -> list[dict[str, str]]:
    return [dict(zip(COLUMNS, r)) for r in table[1:]]


@pytest.fixture(scope="module")
def by_id(rows) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in rows}


def test_file_is_utf8_without_bom():
    raw = GAZETTEER.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")
    assert b"\r" not in raw


def test_comments_only_at_top(lines):
    seen_header = False
    for number, line in enumerate(lines, 1):
        if not seen_header:
            if line.startswith("#"):
                continue
            seen_header = True
            continue
        assert not line.startswith("#"), f"line {number}: comment after the header"
        assert line.strip(), f"line {number}: empty line"


def test_header(table):
    assert table[0] == COLUMNS


def test_ten_fields_per_row(table):
    bad = [(n, len(r), r[:1]) for n, r in enumerate(table[1:], 2) if len(r) != len(COLUMNS)]
    assert not bad, f"rows (number after the comments, field count, id) without 10 fields: {bad}"


def test_no_stray_whitespace(rows):
    bad = [(r["id"], c) for r in rows for c in COLUMNS if r[c] != r[c].strip()]
    assert not bad


def test_unique_ids(rows):
    counts = Counter(r["id"] for r in rows)
    assert not [i for i, n in counts.items() if n > 1]
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r["id"]) for r in rows)


def test_types(rows):
    assert not [(r["id"], r["type"]) for r in rows if r["type"] not in TYPES]


def test_roles(rows):
    bad = []
    for r in rows:
        if r["type"] == "PERSON":
            ok = r["role"] in PERSON_ROLES
        elif r["type"] == "PROVINCE":
            ok = r["role"] in PROVINCE_ROLES
        elif r["type"] == "DISTRICT_CITY":
            ok = r["role"] in CITY_ROLES
        else:
            ok = r["role"] == ""
        if not ok:
            bad.append((r["id"], r["type"], r["role"]))
    assert not bad


def test_parents_exist(rows, by_id):
    missing = [(r["id"], r["parent"]) for r in rows if r["parent"] and r["parent"] not in by_id]
    assert not missing
    assert not [r["id"] for r in rows if r["parent"] == r["id"]]


def test_parent_chains_have_no_cycles(rows, by_id):
    for r in rows:
        seen = {r["id"]}
        parent = r["parent"]
        while parent:
            assert parent not in seen, f"cycle through {r['id']}"
            seen.add(parent)
            parent = by_id[parent]["parent"]


def test_names_not_empty(rows):
    assert not [r["id"] for r in rows if not r["en"] or not r["ar"]]
    empty_variant = [(r["id"], c) for r in rows for c in ("en_variants", "ar_variants")
                     if r[c] and any(not v or v != v.strip() for v in r[c].split("|"))]
    assert not empty_variant


def test_no_arabic_diacritics(rows):
    bad = [(r["id"], name) for r in rows for name in [r["ar"], *_split(r["ar_variants"])]
           if DIACRITICS.search(name)]
    assert not bad


def test_arabic_names_are_plain_arabic_letters(rows):
    bad = [(r["id"], name) for r in rows for name in [r["ar"], *_split(r["ar_variants"])]
           if not ARABIC_NAME.match(name) or FOLDED_LETTERS.search(name)]
    assert not bad, f"Arabic names with non-Arabic characters, tatweel or Persian letters: {bad}"


def test_english_names_have_no_arabic_or_brackets(rows):
    bad = [(r["id"], name) for r in rows for name in [r["en"], *_split(r["en_variants"])]
           if re.search("[\u0600-\u06ff()\\[\\]]", name)]
    assert not bad


def test_no_repeated_name_within_a_row(rows):
    bad = []
    for r in rows:
        for first, rest in (("en", "en_variants"), ("ar", "ar_variants")):
            names = [r[first], *_split(r[rest])]
            dupes = [n for n, k in Counter(names).items() if k > 1]
            if dupes:
                bad.append((r["id"], dupes))
    assert not bad


def test_arabic_variants_differ_at_key_level(rows):
    """Variants that differ only in hamza on alef, ى/ي or ة/ه are the same name to the matcher."""
    bad = []
    for r in rows:
        keys = Counter(_key(n) for n in [r["ar"], *_split(r["ar_variants"])])
        dupes = [k for k, n in keys.items() if n > 1]
        if dupes:
            bad.append((r["id"], dupes))
    assert not bad


def test_all_34_afghan_provinces(rows):
    provinces = [r for r in rows if r["type"] == "PROVINCE" and r["parent"] == "country-afghanistan"]
    assert len(provinces) == 34, f"{len(provinces)} Afghan provinces"
    names = {}
    for r in provinces:
        for name in [r["en"], *_split(r["en_variants"])]:
            names[name] = r["id"]
    # a province that shares its name with its capital is listed as "X Province"
    names.update({n.removesuffix(" Province"): i for n, i in list(names.items()) if n.endswith(" Province")})
    missing = [p for p in AFGHAN_PROVINCES if p not in names]
    assert not missing, f"provinces not found: {missing}"
    assert len({names[p] for p in AFGHAN_PROVINCES}) == 34


def test_wikidata_ids(rows):
    bad = [(r["id"], r["wikidata"]) for r in rows if r["wikidata"] and not QID.match(r["wikidata"])]
    assert not bad
    counts = Counter(r["wikidata"] for r in rows if r["wikidata"])
    assert not [q for q, n in counts.items() if n > 1], "one Wikidata item on two rows"


def test_known_wikidata_ids(by_id):
    expected = {"country-afghanistan": "Q889", "country-pakistan": "Q843", "country-iran": "Q794",
                "country-china": "Q148", "country-russia": "Q159", "country-india": "Q668",
                "country-iraq": "Q796", "country-syria": "Q858", "country-united-states": "Q30"}
    assert {k: by_id[k]["wikidata"] for k in expected} == expected


def test_no_arabic_name_shared_by_two_ids(rows):
    """Exact and loosely folded forms (alef/yeh/teh marbuta, leading ال) must not repeat across ids."""
    owners: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        for name in [r["ar"], *_split(r["ar_variants"])]:
            owners[_fold(name)].add(r["id"])
    shared = {name: sorted(ids) for name, ids in owners.items() if len(ids) > 1}
    assert not shared, f"Arabic names shared by several ids: {shared}"


def test_coverage_size(rows):
    counts = Counter(r["type"] for r in rows)
    assert len(rows) >= 250, counts
    assert set(counts) == TYPES


def test_capitals_have_a_country():
    from pipeline.resources.gazetteer import load_gazetteer
    gazetteer = load_gazetteer()
    capitals = [e.id for e in gazetteer.entries.values() if e.role == "capital"]
    assert capitals and all(gazetteer.country_of(c) for c in capitals)
    assert gazetteer.country_of("city-islamabad") == "country-pakistan"
