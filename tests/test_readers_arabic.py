"""pipeline.readers.read_arabic on text files: encodings, exact raw text, bad inputs."""
from __future__ import annotations

import codecs
import hashlib
import random

import pytest
from arabic_reshaper import reshape

from pipeline.errors import InputError
from pipeline.readers import read_arabic

# Every character here exists in Windows-1256 too, so one text serves every encoding.
ARABIC_TEXT = (
    "تنامى نفوذ تنظيم الدولة في ولاية خراسان خلال عام 2021.\n"
    "وقال الباحثون إن الجماعة تضم نحو 1,500 مقاتل، وفق تقرير «الأمم المتحدة».\n"
    "\n"
    "واستهدفت الهجمات (في كابول وجلال آباد) المدارس والمستشفيات؟\n"
)

ENCODINGS = [
    # id, bytes of the file, encoding reported, BOM recorded
    ("utf-8", ARABIC_TEXT.encode("utf-8"), "utf-8", False),
    ("utf-8-bom", codecs.BOM_UTF8 + ARABIC_TEXT.encode("utf-8"), "utf-8", True),
    ("utf-16-le-bom", codecs.BOM_UTF16_LE + ARABIC_TEXT.encode("utf-16-le"), "utf-16-le", True),
    ("utf-16-be-bom", codecs.BOM_UTF16_BE + ARABIC_TEXT.encode("utf-16-be"), "utf-16-be", True),
    ("utf-16-le", ARABIC_TEXT.encode("utf-16-le"), "utf-16-le", False),
    ("utf-16-be", ARABIC_TEXT.encode("utf-16-be"), "utf-16-be", False),
    ("cp1256", ARABIC_TEXT.encode("cp1256"), "cp1256", False),
]


@pytest.mark.parametrize("data, encoding, bom", [e[1:] for e in ENCODINGS], ids=[e[0] for e in ENCODINGS])
def test_each_encoding_decodes_to_the_original_text(tmp_path, data, encoding, bom):
    path = tmp_path / "ar.txt"
    path.write_bytes(data)

    side = read_arabic(path)

    assert side.lang == "ar"
    assert side.raw == ARABIC_TEXT
    assert "\ufeff" not in side.raw
    assert side.source["encoding"] == encoding
    assert side.source["bom"] is bom
    assert side.source["bytes"] == len(data)
    assert side.source["sha256"] == hashlib.sha256(data).hexdigest()
    assert side.source["path"] == str(path)


def test_the_encodings_are_really_different_files():
    """Guards the table above: each case must exercise a different byte layout."""
    assert len({data for _, data, _, _ in ENCODINGS}) == len(ENCODINGS)


def test_crlf_line_ends_are_kept(tmp_path):
    text = ARABIC_TEXT.replace("\n", "\r\n")
    path = tmp_path / "ar.txt"
    path.write_bytes(text.encode("utf-8"))

    side = read_arabic(path)

    assert side.raw == text
    assert side.raw.count("\r\n") == ARABIC_TEXT.count("\n")


def test_crlf_line_ends_are_kept_in_utf16_with_bom(tmp_path):
    text = ARABIC_TEXT.replace("\n", "\r\n")
    path = tmp_path / "ar.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))

    assert read_arabic(path).raw == text


def test_presentation_forms_are_kept_as_they_are(tmp_path):
    shaped = reshape("مرحبا بالعالم")
    assert any("\ufe70" <= c <= "\ufeff" for c in shaped)  # the input really is shaped
    text = ARABIC_TEXT + shaped + "\r\n"
    path = tmp_path / "ar.txt"
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))

    side = read_arabic(path)

    assert side.raw == text
    assert shaped in side.raw
    assert "مرحبا بالعالم" not in side.raw  # not normalized on reading


def test_arabic_with_some_english_is_accepted(tmp_path):
    text = ("قال الباحث إن Microsoft Research قدمت البيانات الكاملة لهذه الدراسة.\n"
            "التقرير منشور على https://example.org/report منذ عام 2021.\n")
    path = tmp_path / "ar.txt"
    path.write_text(text, encoding="utf-8")

    assert read_arabic(path).raw == text


def _random_binary(seed: int, size: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.choice([0, 0, 0, 1, 2, 0xFF]) if i % 7 == 0 else rng.randrange(256)
                 for i in range(size))


BAD_FILES = [
    # id, file bytes, words the message must contain
    ("empty", b"", "empty"),
    ("whitespace", b" \n\t\r\n  \n", "empty"),
    ("bom-and-whitespace", codecs.BOM_UTF8 + b"  \r\n", "empty"),
    ("utf-16-whitespace", codecs.BOM_UTF16_LE + " \n\n".encode("utf-16-le"), "empty"),
    ("binary-with-nuls", _random_binary(1, 3000), "binary"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"
            + bytes(random.Random(2).randrange(256) for _ in range(2000)), "binary"),
    ("english", b"The Rise of ISKP\n\nThe Islamic State Khorasan Province grew quickly in 2021.\n",
     "not arabic"),
    ("english-with-an-arabic-word",
     "This English article quotes one Arabic word, خراسان, and nothing more.\n".encode("utf-8"),
     "not arabic"),
    ("bad-utf-16-after-bom", codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00", "byte-order mark"),
]


@pytest.mark.parametrize("data, words", [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_unusable_files_raise_input_error(tmp_path, data, words):
    path = tmp_path / "ar.txt"
    path.write_bytes(data)

    with pytest.raises(InputError) as caught:
        read_arabic(path)

    message = str(caught.value)
    assert message.startswith(str(path) + ":")
    assert caught.value.path == str(path)
    assert words in message.lower()


def test_binary_message_suggests_what_to_give_instead(tmp_path):
    path = tmp_path / "scan.txt"
    path.write_bytes(_random_binary(3, 2000))

    with pytest.raises(InputError) as caught:
        read_arabic(path)

    assert "binary" in caught.value.problem
    assert caught.value.fix  # says how to fix it


def test_english_file_message_says_how_to_pass_the_files(tmp_path):
    path = tmp_path / "en.txt"
    path.write_text("This is the English original of the article, not its translation.\n")

    with pytest.raises(InputError) as caught:
        read_arabic(path)

    assert "0%" in caught.value.problem
    assert "--en" in caught.value.fix


def test_missing_file_raises_input_error(tmp_path):
    path = tmp_path / "nowhere" / "ar.txt"

    with pytest.raises(InputError) as caught:
        read_arabic(path)

    assert str(path) in str(caught.value)
    assert "no such file" in str(caught.value)


def test_folder_raises_input_error(tmp_path):
    folder = tmp_path / "ar.txt"
    folder.mkdir()

    with pytest.raises(InputError) as caught:
        read_arabic(folder)

    assert str(folder) in str(caught.value)
    assert "folder" in str(caught.value)
