"""Random and hostile inputs never crash bayan: they are processed into schema-valid TEI,
or refused with an InputError that names the file."""

from hypothesis import HealthCheck, example, given, settings, strategies as st
from lxml import etree

from pipeline.config import load_config
from pipeline.document import Bitext
from pipeline.errors import InputError
from pipeline.export.tei import tei_bytes, validate
from pipeline.readers import read_arabic, read_english
from pipeline.registry import build_pipeline

ARABIC_PIPELINE = None


def pipeline():
    global ARABIC_PIPELINE
    if ARABIC_PIPELINE is None:
        ARABIC_PIPELINE = build_pipeline(load_config(None, "bayan-center"))
    return ARABIC_PIPELINE


HOSTILE_TEXT = st.lists(st.one_of(
    st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى«»،؛؟.!*-–:() \n\f\t")),
            min_size=1, max_size=40),
    st.sampled_from(["\u200f", "\u200e", "\u200c", "\u0640", "\ufefb", "\ufee3", "\x00", "\x1b", "\u202e",
                     "www.example.org", "1,500", "الشكل 1 - ", "* ", "المصدر:", "\n\n", "<https://x.org/a>"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20)), min_size=1, max_size=30).map("".join)

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.binary(min_size=0, max_size=2000))
def test_random_bytes_are_read_or_refused(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "doc.txt"
    path.write_bytes(data)
    try:
        side = read_arabic(path)
    except InputError as error:
        assert str(path) in str(error)
    else:
        assert side.raw


@SETTINGS
@given(HOSTILE_TEXT)
@example("«\x0c*")       # a footnote before any paragraph: it goes in <front>, not in <body>
def test_hostile_arabic_text_gives_valid_tei(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("text") / "doc.txt"
    path.write_text("عنوان المقال\n\n" + text + "\n\nفقرة عربية تامة في آخر النص.", encoding="utf-8")
    try:
        side = read_arabic(path)
    except InputError:
        return
    bitext = pipeline()(Bitext(side))
    tree = etree.fromstring(tei_bytes(bitext))       # raises if not valid against the schema
    assert validate(etree.ElementTree(tree)) == []
    assert bitext.ar.raw == side.raw


def test_huge_line_and_deep_html(tmp_path):
    text = "كلمة " * 100_000
    path = tmp_path / "huge.txt"
    path.write_text(text, encoding="utf-8")
    bitext = pipeline()(Bitext(read_arabic(path)))
    assert validate(etree.ElementTree(etree.fromstring(tei_bytes(bitext)))) == []
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 3000 + "<p>text</p>" + "</div>" * 3000 + "</body></html>",
                    encoding="utf-8")
    try:
        read_english(deep)
    except InputError as error:
        assert str(deep) in str(error)


def test_entity_laden_html_does_not_expand_or_fetch(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY x SYSTEM "file://{secret}">]>
<html><body><article><h1>Title</h1>
<p>A first paragraph that is long enough to be the article body &c; &x; and more words here.</p>
<p>A second paragraph that is long enough to be kept by the extractor as body text too.</p>
</article></body></html>""", encoding="utf-8")
    try:
        side = read_english(page)
    except InputError:
        return
    assert "TOP SECRET" not in side.raw
    assert "aaaaaaaaaa" * 50 not in side.raw
