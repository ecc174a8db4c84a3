"""pipeline.readers.read_english: article web pages and plain text / Markdown."""
from __future__ import annotations

import socket

import pytest

from pipeline.errors import InputError
from pipeline.readers import read_english

TITLE = "The Rise of ISKP in Afghanistan"
PARAGRAPHS = [
    "The Islamic State Khorasan Province has grown from a small group of defectors into one "
    "of the most dangerous insurgent movements in South and Central Asia over six years.",
    "Its fighters carried out a series of attacks in Kabul during August 2021, including the "
    "bombing at the airport that killed more than 170 people and thirteen service members.",
    "Analysts disagree about how large the group really is, but most estimates place its "
    "strength between 1,500 and 2,200 fighters, drawn from several countries in the region.",
    "The group was founded in 2015 by former members of the Pakistani Taliban who pledged "
    "allegiance to the leader of the Islamic State after a dispute over the leadership.",
    "Since then it has fought both the Afghan government and the Taliban, and it has "
    "repeatedly targeted religious minorities, schools and hospitals in the east.",
]
HEADING = "Origins of the movement"
LEAD_CAPTION = "Image: Fighters gather near Jalalabad in 2020 (Reuters)"
FIGURE_CAPTION = "Figure 1: Areas where the group was active between 2015 and 2021"
BIOS = [
    "Jane Doe is a senior fellow who studies militant movements in South Asia and has "
    "written widely on the conflict.",
    "John Smith is a journalist based in Kabul who has reported on the war for a decade.",
]
BOILERPLATE = [
    "World news section", "Politics and power section", "Subscribe to our print edition",
    "weekly newsletter", "Copyright 2021 Example Review", "privacy policy",
]

ARTICLE_HTML = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>The Rise of ISKP | Example Review</title>
<meta property="article:published_time" content="2021-09-01T10:00:00Z">
<link rel="canonical" href="https://example.org/rise-of-iskp">
</head>
<body>
<header class="site-header"><a href="/">Example Review</a>
<nav><ul><li><a href="/world">World news section</a></li>
<li><a href="/politics">Politics and power section</a></li>
<li><a href="/subscribe">Subscribe to our print edition today</a></li></ul></nav>
</header>
<main>
<article>
<h1>{TITLE}</h1>
<div class="byline">By <a rel="author" href="/authors/jane-doe">Jane Doe</a>
  and <a rel="author" href="/authors/john-smith">John Smith</a></div>
<figure class="lead"><img src="lead.jpg" alt=""><figcaption>{LEAD_CAPTION}</figcaption></figure>
<p>{PARAGRAPHS[0]}</p>
<p>{PARAGRAPHS[1]}</p>
<p>{PARAGRAPHS[2]}</p>
<h2>{HEADING}</h2>
<p>{PARAGRAPHS[3]}</p>
<figure><img src="map.png" alt=""><figcaption>{FIGURE_CAPTION}</figcaption></figure>
<p>{PARAGRAPHS[4]}</p>
<div class="author-bio"><p>{BIOS[0]}</p><p>{BIOS[1]}</p></div>
</article>
<aside class="newsletter"><p>Sign up for our weekly newsletter and get the best analysis
delivered to your inbox every Friday morning, free of charge.</p></aside>
</main>
<footer><p>Copyright 2021 Example Review. All rights reserved. Read our privacy policy and
terms of use before you continue to use this website.</p></footer>
</body>
</html>
"""

EXPECTED_BLOCKS = [
    ("title", TITLE), ("byline", "By Jane Doe and John Smith"), ("caption", LEAD_CAPTION),
    ("paragraph", PARAGRAPHS[0]), ("paragraph", PARAGRAPHS[1]), ("paragraph", PARAGRAPHS[2]),
    ("heading", HEADING), ("paragraph", PARAGRAPHS[3]), ("caption", FIGURE_CAPTION),
    ("paragraph", PARAGRAPHS[4]), ("bio", BIOS[0]), ("bio", BIOS[1]),
]


@pytest.fixture
def no_network(monkeypatch):
    """Records (and refuses) every connection Python code tries to open."""
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield attempts
    assert attempts == [], f"the reader tried to open network connections: {attempts}"


@pytest.fixture
def listener():
    """A local port that notices connections made outside Python (libxml2's own I/O)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def block_texts(side) -> list[tuple[str, str]]:
    return [(span.label, side.raw[span.start:span.end]) for span in side.layer("blocks")]


def assert_spans_are_consistent(side) -> None:
    blocks = side.layer("blocks")
    assert blocks
    ids = [span.id for span in blocks]
    assert len(set(ids)) == len(ids)
    for span in blocks:
        assert len(span.parts) == 1
        assert 0 <= span.start < span.end <= len(side.raw)
        assert span.text(side.raw) == side.raw[span.start:span.end]
        assert span.text(side.raw) == span.text(side.raw).strip()
    for before, after in zip(blocks, blocks[1:]):
        assert before.end <= after.start


# --- HTML -----------------------------------------------------------------------------

def test_article_page_gives_blocks_in_document_order(tmp_path, no_network):
    side = read_english(write(tmp_path, "article.html", ARTICLE_HTML))

    assert side.lang == "en"
    assert block_texts(side) == EXPECTED_BLOCKS


def test_article_block_attributes(tmp_path):
    side = read_english(write(tmp_path, "article.html", ARTICLE_HTML))
    blocks = side.layer("blocks")
    captions = [s for s in blocks if s.label == "caption"]
    headings = [s for s in blocks if s.label == "heading"]

    assert captions[0].attrs.get("credit") is True
    assert "n" not in captions[0].attrs
    assert captions[1].attrs.get("n") == 1
    assert "credit" not in captions[1].attrs
    assert [h.attrs.get("level") for h in headings] == [2]
    assert [s.id for s in blocks if s.label == "paragraph"] == [f"en.p{i}" for i in range(1, 6)]
    assert blocks[0].id == "en.title1"


def test_article_raw_is_the_blocks_joined_by_blank_lines(tmp_path):
    side = read_english(write(tmp_path, "article.html", ARTICLE_HTML))

    assert_spans_are_consistent(side)
    assert side.raw == "\n\n".join(text for _, text in EXPECTED_BLOCKS)


def test_article_boilerplate_is_left_out(tmp_path):
    side = read_english(write(tmp_path, "article.html", ARTICLE_HTML))

    for text in BOILERPLATE:
        assert text not in side.raw
    assert "Example Review" not in side.raw


def test_article_source_metadata(tmp_path):
    path = write(tmp_path, "article.html", ARTICLE_HTML)
    side = read_english(path)

    assert side.source["format"] == "html"
    assert side.source["path"] == str(path)
    assert side.source["title"] == TITLE
    assert side.source["authors"] == ["Jane Doe", "John Smith"]
    assert side.source["date"] == "2021-09-01T10:00:00Z"
    assert side.source["url"] == "https://example.org/rise-of-iskp"


def test_byline_is_built_from_author_links_when_there_is_no_byline_element(tmp_path):
    html = ARTICLE_HTML.replace('<div class="byline">', '<div class="credits">')

    side = read_english(write(tmp_path, "article.html", html))

    assert block_texts(side)[1] == ("byline", "By Jane Doe and John Smith")


PAGE_START = "<html><head><title>The Rise of ISKP</title></head><body><article>"


def test_unclosed_tags_are_recovered(tmp_path, no_network):
    # <p> without </p> is valid HTML; unclosed <h1>, <div> and <span> are not.
    html = (PAGE_START + f"<h1>{TITLE}\n" + "".join(f"<p>{p}\n" for p in PARAGRAPHS[:4])
            + "<div><span>unclosed\n</body>")

    side = read_english(write(tmp_path, "unclosed.html", html))

    assert_spans_are_consistent(side)
    assert [text for label, text in block_texts(side) if label == "paragraph"] == PARAGRAPHS[:4]
    assert block_texts(side)[0] == ("title", TITLE)


def test_stray_closing_tags_are_ignored(tmp_path, no_network):
    html = ("<html><body></div></div><article>" + f"<h1>{TITLE}</h1></div>"
            + "".join(f"<p>{p}</p></div></span>" for p in PARAGRAPHS[:4])
            + "</article></div></body></html></html>")

    side = read_english(write(tmp_path, "stray.html", html))

    assert_spans_are_consistent(side)
    assert block_texts(side) == [("title", TITLE)] + [("paragraph", p) for p in PARAGRAPHS[:4]]


def read_or_refuse(path):
    """The side, or None when the reader refused the file with an InputError naming it.
    Any other exception fails the test."""
    try:
        return read_english(path)
    except InputError as error:
        assert str(path) in str(error)
        return None


def test_entity_declarations_are_not_resolved(tmp_path, no_network, listener):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETMARKER")
    port = listener.getsockname()[1]
    html = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE html SYSTEM "http://127.0.0.1:{port}/html.dtd" [\n'
        f'<!ENTITY xxe SYSTEM "file://{secret}">\n'
        f'<!ENTITY net SYSTEM "http://127.0.0.1:{port}/entity.txt">\n'
        '<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n'
        ']>\n'
        f'<html><head><link rel="stylesheet" href="http://127.0.0.1:{port}/style.css">'
        f'<script src="http://127.0.0.1:{port}/app.js"></script></head><body><article>'
        '<h1>The Rise &amp; Fall of ISKP &mdash; caf&eacute;&nbsp;&#169; &d;</h1>'
        + "".join(f"<p>{p} &xxe; &net; &d; &eacute;&#x2014;</p>" for p in PARAGRAPHS[:4])
        + f'<img src="http://127.0.0.1:{port}/img.png"></article></body></html>')
    path = write(tmp_path, "entities.html", html)

    side = read_or_refuse(path)

    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected
    if side is not None:
        assert_spans_are_consistent(side)
        assert "TOPSECRETMARKER" not in side.raw
        assert "lollol" not in side.raw  # the "billion laughs" entity was not expanded
        assert block_texts(side)[0][1].startswith("The Rise & Fall of ISKP — café ©")
        paragraphs = [text for label, text in block_texts(side) if label == "paragraph"]
        assert len(paragraphs) == 4
        for expected, got in zip(PARAGRAPHS, paragraphs):
            assert got.startswith(expected)
            assert got.endswith("é—")


@pytest.mark.parametrize("depth", [50, 300, 5000])
@pytest.mark.parametrize("tag", ["div", "b"])
def test_deep_nesting_gives_blocks_or_input_error(tmp_path, no_network, depth, tag):
    html = (PAGE_START + f"<h1>{TITLE}</h1>" + f"<{tag}>" * depth
            + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[:4]) + f"</{tag}>" * depth
            + "</article></body></html>")

    side = read_or_refuse(write(tmp_path, "nested.html", html))

    if depth < 256:  # within the parser's depth limit: the article must come through
        assert side is not None
    if side is not None:
        assert_spans_are_consistent(side)
        assert [text for label, text in block_texts(side) if label == "paragraph"] == PARAGRAPHS[:4]


def test_page_without_article_text(tmp_path, no_network):
    html = ("<html><head><title>Example Review</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            "<footer><p>Copyright 2021</p></footer></body></html>")
    path = write(tmp_path, "empty.html", html)

    with pytest.raises(InputError) as caught:
        read_english(path)

    assert str(path) in str(caught.value)
    assert "no article text" in str(caught.value)


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4],
                         ids=["empty", "binary"])
def test_html_file_that_is_not_a_page(tmp_path, data):
    path = tmp_path / "article.html"
    path.write_bytes(data)

    with pytest.raises(InputError) as caught:
        read_english(path)

    assert str(path) in str(caught.value)


def test_missing_html_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_english(tmp_path / "article.html")


# --- Markdown and plain text ----------------------------------------------------------

MD_PARAGRAPH_ON_TWO_LINES = PARAGRAPHS[0].replace(" movements in ", " movements\nin ")
MARKDOWN = f"""# {TITLE}

By Jane Doe and John Smith

{MD_PARAGRAPH_ON_TWO_LINES}

{PARAGRAPHS[1]}

## {HEADING}

{PARAGRAPHS[2]}

{FIGURE_CAPTION}

{PARAGRAPHS[3]}

## About the authors

{BIOS[0]}

{BIOS[1]}
"""


def test_markdown_blocks(tmp_path):
    path = write(tmp_path, "article.md", MARKDOWN)

    side = read_english(path)

    assert side.raw == MARKDOWN
    assert side.source["format"] == "markdown"
    assert_spans_are_consistent(side)
    assert block_texts(side) == [
        ("title", TITLE), ("byline", "By Jane Doe and John Smith"),
        ("paragraph", MD_PARAGRAPH_ON_TWO_LINES),
        ("paragraph", PARAGRAPHS[1]), ("heading", HEADING), ("paragraph", PARAGRAPHS[2]),
        ("caption", FIGURE_CAPTION), ("paragraph", PARAGRAPHS[3]),
        ("bio", BIOS[0]), ("bio", BIOS[1]),
    ]
    heading = next(s for s in side.layer("blocks") if s.label == "heading")
    assert heading.attrs.get("level") == 2
    assert "About the authors" not in [text for _, text in block_texts(side)]


def test_heading_after_the_bio_ends_it(tmp_path):
    text = MARKDOWN + f"\n## Notes\n\n{PARAGRAPHS[4]}\n"

    side = read_english(write(tmp_path, "article.md", text))

    assert block_texts(side)[-2:] == [("heading", "Notes"), ("paragraph", PARAGRAPHS[4])]


def test_plain_text_with_crlf(tmp_path):
    text = (f"{TITLE}\r\n\r\nBy Jane Doe\r\n\r\n{PARAGRAPHS[0]}\r\n\r\n{LEAD_CAPTION}\r\n\r\n"
            f"{PARAGRAPHS[1]}\r\n")
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode("utf-8"))

    side = read_english(path)

    assert side.raw == text
    assert side.source["format"] == "text"
    assert_spans_are_consistent(side)
    assert block_texts(side) == [
        ("title", TITLE), ("byline", "By Jane Doe"), ("paragraph", PARAGRAPHS[0]),
        ("caption", LEAD_CAPTION), ("paragraph", PARAGRAPHS[1]),
    ]


@pytest.mark.parametrize("text", [
    f"# {TITLE}\n",
    f"# {TITLE}\n\n## {HEADING}\n\n{FIGURE_CAPTION}\n",
    f"# {TITLE}\n\nBy Jane Doe\n\n## About the authors\n\n{BIOS[0]}\n",
], ids=["title-only", "title-heading-caption", "bio-only"])
def test_text_without_paragraphs(tmp_path, text):
    path = write(tmp_path, "article.md", text)

    with pytest.raises(InputError) as caught:
        read_english(path)

    assert str(path) in str(caught.value)
    assert "no paragraphs" in str(caught.value)


def test_empty_markdown_file(tmp_path):
    path = write(tmp_path, "article.md", "\n\n  \n")

    with pytest.raises(InputError, match="empty"):
        read_english(path)
