"""TEI output of the sample: schema-valid, complete, ids and languages everywhere."""
from lxml import etree

from pipeline.export.tei import TEI_NS, XML_ID, XML_LANG, validate

NS = {"t": TEI_NS}


def words(element):
    """The element's original reading text: a correction's <corr>/<reg> are not read."""
    skip = {f"{{{TEI_NS}}}corr", f"{{{TEI_NS}}}reg"}

    def text(node):
        parts = [node.text or ""]
        for child in node:
            if child.tag not in skip:
                parts.append(text(child))
            parts.append(child.tail or "")
        return "".join(parts)
    return " ".join(text(element).split())


def text_of(tei, lang):
    return tei.find(f".//t:group/t:text[@{{http://www.w3.org/XML/1998/namespace}}lang='{lang}']", NS)


def test_sample_tei_validates(sample_tei):
    assert validate(etree.ElementTree(sample_tei)) == []


def test_schema_rejects_what_bayan_never_writes(sample_tei):
    broken = etree.fromstring(etree.tostring(sample_tei))
    p = broken.find(".//t:body//t:p", NS)
    del p.attrib[XML_ID]
    assert validate(etree.ElementTree(broken))


def test_arabic_structure_in_tei(sample_tei):
    ar = text_of(sample_tei, "ar")
    heads = ar.findall("t:body/t:div/t:head", NS)
    assert [words(h) for h in heads] == [
        "أصول وأهداف تنظيم الدولة الإسلامية في أفغانستان", "طالبان: خصم لا بد منه",
        "البعد العسكري", "ما التالي؟"]
    front_heads = ar.findall("t:front/t:div/t:head", NS)
    assert [words(h) for h in front_heads] == ["عن المركز", "ملاحظة:"]
    notes = ar.findall(".//t:byline/t:note[@place='foot']", NS)
    assert [n.get("n") for n in notes] == ["*", "**"]
    assert [n.getprevious().text for n in notes] == ["أميرة جدون", "أندرو ماينز"]
    captions = ar.findall(".//t:figure/t:head", NS)
    assert len(captions) == 2 and words(captions[1]).startswith("الشكل 2")
    assert len(ar.findall(".//t:pb", NS)) == 6
    url = ar.find("t:back/t:div[@type='source']//t:ref", NS).get("target")
    assert url.startswith("https://warontherocks.com/2021/10/")


def test_joined_paragraph_keeps_its_page_break(sample_tei):
    ar = text_of(sample_tei, "ar")
    pb = ar.find(".//t:p//t:pb", NS)
    sentence = pb.getparent()
    text = words(sentence)
    assert "حينما ضُعبَ تنظيم الدولة الإسلامية في أفغانستان بصورة كبيرة" in text


def test_header_has_source_url_titles_and_encodings(sample_tei):
    header = sample_tei.find("t:teiHeader", NS)
    assert header.find(".//t:sourceDesc/t:bibl[@type='original']/t:ptr", NS).get("target").endswith(
        "the-taliban-cant-take-on-the-islamic-state-alone/")
    titles = {t.get(XML_LANG): t.text for t in header.findall("t:fileDesc/t:titleStmt/t:title", NS)}
    assert titles["en"] == "The Taliban Can't Take on the Islamic State Alone"
    assert titles["ar"].startswith("طالبان لا تستطيع")
    encodings = [n.text for n in header.iter(f"{{{TEI_NS}}}note") if n.get("type") == "encoding"]
    assert encodings == ["utf-8", "utf-8"]


def test_every_p_and_s_has_an_id_and_ids_are_unique(sample_tei, sample_bitext):
    elements = [e for e in sample_tei.iter(f"{{{TEI_NS}}}p", f"{{{TEI_NS}}}s")
                if e.getparent().tag not in (f"{{{TEI_NS}}}normalization", f"{{{TEI_NS}}}segmentation")]
    assert all(e.get(XML_ID) for e in elements)
    ids = [e.get(XML_ID) for e in sample_tei.iter() if e.get(XML_ID)]
    assert len(ids) == len(set(ids))
    written = {e.get(XML_ID) for e in sample_tei.iter(f"{{{TEI_NS}}}s")}
    for side in sample_bitext.sides():
        assert {s.id for s in side.layer("sentences")} <= written


def test_sentence_text_is_the_reading_text(sample_tei, sample_bitext):
    by_id = {e.get(XML_ID): words(e) for e in sample_tei.iter(f"{{{TEI_NS}}}s")}
    for side in sample_bitext.sides():
        view = side.view("reading")
        for sentence in side.layer("sentences"):
            assert by_id[sentence.id] == " ".join(view.span_text(sentence).split())


def test_english_structure_in_tei(sample_tei):
    en = text_of(sample_tei, "en")
    assert len(en.findall("t:body/t:div/t:head", NS)) == 4
    assert len(en.findall("t:back/t:div[@type='bio']", NS)) == 2
    assert en.find("t:front//t:figure[@type='credit']", NS) is not None
    assert len(en.findall("t:body//t:figure", NS)) == 2
