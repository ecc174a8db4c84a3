"""OCR typo fixing: channel, candidates, decisions, the stage, TEI, and the floors."""
import tomllib
from pathlib import Path

import pytest

from pipeline.spell.channel import channel_log_probability, edit_operations
from pipeline.spell.fixer import DocumentContext, decide
from pipeline.spell.noise import comma_edits, comma_probability, speck_edits
from pipeline.spell.numbers import number_edits

ROOT = Path(__file__).resolve().parent.parent


def test_edit_operations():
    assert edit_operations("شرطة", "شرظة") == [("ط", "ظ")]
    assert edit_operations("كابل", "كابلء") == [("", "ء")]


def test_dot_confusions_are_likelier_than_other_substitutions():
    assert channel_log_probability("الدولية", "الذولية") > channel_log_probability("الدولية", "الكولية")
    assert channel_log_probability("دولة", "دولة") > channel_log_probability("دولة", "ذولة")


@pytest.mark.parametrize("observed, intended", [
    ("الذولية", "الدولية"), ("إيزان", "إيران"), ("الحارجية", "الخارجية"), ("كابلء", "كابل،")])
def test_non_words_get_their_reading(observed, intended):
    decision = decide(observed, None, None, DocumentContext([]))
    assert decision is not None and decision[0] == intended


@pytest.mark.parametrize("word", ["الدولية", "طالبان", "أفغانستان", "في", "الحدود"])
def test_correct_words_are_left_alone(word):
    assert decide(word, None, None, DocumentContext([])) is None


def test_document_context_decides_a_real_word():
    context = DocumentContext(["هدفه الأول هو البقاء. وكان هدفه الأول واضحا. هدفه الأول تحقق."])
    decision = decide("هدفة", None, "الأول", context)
    assert decision is not None and decision[0] == "هدفه"


def test_a_word_the_text_writes_far_more_than_arabic_does_beats_a_real_word_one_letter_away():
    text = ("أغلقت السلطات الحدود مع إيران. وتمتد الحدود مسافة طويلة. ويعبر المهربون الحدود ليلا. "
            "وتراقب القوات الحدود. وتقول الحكومة إن الحدود آمنة. ومن أجل ذلك حرس الجدود جنود. ")
    context = DocumentContext([text * 2])
    assert context.keyness("الحدود") > 2 > context.keyness("من")
    decision = decide("الجدود", "حرس", "جنود", context)     # "grandfathers", one letter from "the borders"
    assert decision is not None and decision[:2] == ("الحدود", "real-word")
    assert decide("الجدود", "حرس", "جنود", DocumentContext([])) is None     # no such text: left alone
    assert decide("ومن", None, "أجل", context) is None                   # a frequent word is no evidence


def test_a_rare_word_whose_ending_swapped_is_common_is_suggested_not_applied():
    decision = decide("هدفة", None, "الأول", DocumentContext([]))    # no context: only the slip
    assert decision == ("هدفه", "real-word", 0.7)
    assert decide("مدرسة", None, None, DocumentContext([])) is None   # the common word stays
    assert decide("الدولة", None, None, DocumentContext([])) is None


def test_a_letter_typed_once_for_twice_is_suggested_when_the_english_says_so():
    from pipeline.align.lexicon import arabic_translations
    english = {"play", "role", "tighten", "noos"}
    decision = decide("تضيق", "في", "الخناق", DocumentContext([]), english, translations=arabic_translations)
    assert decision == ("تضييق", "real-word", 0.65)
    assert decide("تضيق", "في", "الخناق", DocumentContext([]), {"play", "role"},
                  translations=arabic_translations) is None           # no English evidence: left alone


def test_a_word_ending_in_an_attached_pronoun_is_no_merge_of_two_words():
    from pipeline.spell.fixer import candidates
    assert "أحواض هم" not in [c for c, _ in candidates("أحواضهم")]     # "their basins"
    assert "أجندته ما" not in [c for c, _ in candidates("أجندتهما")]    # "their (two) agenda": هما
    assert "أسوأ موجة" in [c for c, _ in candidates("أسوأموجة")]        # a lost space


def test_letters_misread_within_their_dot_group_twice_are_found():
    from pipeline.spell.fixer import candidates
    assert "الخشخاش" in [c for c, _ in candidates("الحشحاش")]           # خ read as ح twice


def test_a_form_hunspell_accepts_is_only_suggested():
    decision = decide("أخبرانا", None, None, DocumentContext([]))     # "the two told us": valid, rare
    assert decision is None or decision[2] < 0.9


def test_a_word_that_sounds_like_a_loanword_of_its_english_is_left_as_written():
    for word, loanword in (("البشتوية", "pashto"), ("جرغة", "jirga"), ("اللشكر", "lashkar")):
        assert decide(word, None, None, DocumentContext([])) is not None     # the dictionaries lack it
        assert decide(word, None, None, DocumentContext([]), loanwords={loanword}) is None
    decision = decide("أففانستان", None, None, DocumentContext([]), loanwords={"afghanistan"})
    assert decision is not None and decision[0] == "أفغانستان"              # the reading sounds likelier


def test_english_loanwords_are_its_rare_and_capitalized_words():
    from pipeline.stages.spellfix import _loanwords
    words = _loanwords("The jirga met in Duki and Drug. Elders of the Kakar tribe came to the dam.", 3.0)
    assert {"jirga", "duki", "drug", "kakar"} <= words and not {"the", "elders", "dam", "tribe"} & words


def test_sample_names_are_never_corrected(sample_bitext):
    ar = sample_bitext.ar
    names = [(a, b) for e in ar.layer("entities") for a, b in e.parts]
    for correction in ar.layer("corrections"):
        assert not any(a < correction.end and correction.start < b for a, b in names)
        assert ar.raw[correction.start:correction.end] == correction.attrs["before"]
    corrected = ar.view("corrected").text
    applied = [c for c in ar.layer("corrections") if c.attrs["applied"]]
    assert all(c.attrs["after"] in corrected for c in applied)
    assert ar.raw == (ROOT / "corpora/bayan-2021-taliban-iskp/ar.txt").read_text(encoding="utf-8")


def test_tei_shows_original_and_fix(sample_tei, sample_bitext):
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    choices = sample_tei.findall(".//t:s/t:choice", ns)
    assert len(choices) == len(sample_bitext.ar.layer("corrections"))
    for choice in choices:
        if choice.get("type") == "correction":
            assert choice.find("t:sic", ns).text and choice.find("t:corr", ns).get("cert")
        else:
            assert choice.find("t:orig", ns).text and choice.find("t:reg", ns).text
            for other in choice.findall("t:reg", ns)[1:]:          # other readings, no certainty
                assert other.get("type") == "alternative" and other.text and other.get("cert") is None


def test_the_english_counts_a_derived_word_as_a_translation():
    from pipeline.align.lexicon import arabic_translations, english_stem
    from pipeline.spell.fixer import translates
    assert translates("ضعف", {english_stem("weakened")}, arabic_translations)   # "weak" ~ "weaken"
    assert not translates("ضعف", {english_stem("strong")}, arabic_translations)


def test_a_suggestion_lists_the_other_likely_readings():
    from pipeline.align.lexicon import arabic_translations, english_stem
    from pipeline.spell.fixer import other_readings
    english = {english_stem(w) for w in "ISKP was significantly weakened in previous years".split()}
    with_english = other_readings("ضعب", "صعب", None, None, DocumentContext([]), english,
                                  translations=arabic_translations)
    assert "ضعف" in with_english                                   # "weakness": what the English says
    assert "ضعف" not in other_readings("ضعب", "صعب", None, None, DocumentContext([]))


# --- noise that is not a word error: specks and misread commas ---------------------------

NUMBERS = "في عام 2021 نحو 780 ألف لاجئ. "


@pytest.mark.parametrize("noisy, speck", [
    ("وسارعت ْ الحكومتان", "ْ"),                  # a lone diacritic
    ("في زاهدان وزابل 1ْ وكان", "1ْ"),             # a digit carrying a diacritic
    ("من دون 0 اعتراف", "0"),                      # a number of zeros
    ("وقد تحولت ٠ الاحتجاجات", "٠"),               # Arabic-Indic among Western digits
    ("منذ عام 1979 . أكثر من", "."),               # a lone dot
    ("الذي ظ افتتحه الرئيس", "ظ"),                 # a letter never written alone
])
def test_specks_are_removed(noisy, speck):
    text = NUMBERS + noisy
    edits = speck_edits(text, western=True)
    assert [(text[a:b], after, rule) for a, b, after, rule, _ in edits] == [(speck, "", "stray-speck")]


def test_short_numbers_beside_a_speck_go_with_it():
    text = NUMBERS + "وسمحت ١ 2 لشاحنات الوقود"
    assert [text[a:b] for a, b, *_ in speck_edits(text, western=True)] == ["١", "2"]


@pytest.mark.parametrize("text", [
    "في 2 شباط/فبراير أعلنت الحكومة",          # a real short number
    "بلغ عدد اللاجئين ٣٠٠ ألف في عام ٢٠٢١",      # numbers written in Arabic-Indic digits
    "أكثر من 30 0 كيلومتر",                      # a number cut in two
    "الأزمة المقبلة - قد تأتي من الشرق",         # a dash
    "ما يقدر بـ 500 ألف و 20 ألفاً في عام 2020 م",  # letters written alone: بـ, و, م
])
def test_real_tokens_are_not_specks(text):
    assert speck_edits(text, western="٣" not in text) == []


def test_a_period_after_a_few_words_is_a_comma():
    text = "وقعت اشتباكات على الحدود. فقد أطلق حرس الحدود النار على المهربين."
    edits = comma_edits(text)
    assert [(text[a:b], after, rule) for a, b, after, rule, _ in edits] == [(".", "،", "comma-misread")]
    assert edits[0][4] >= 0.9


def test_sentence_ends_and_labels_stay():
    long_sentence = ("وقد أبقت إيران سفارتها في كابل مفتوحة واستضافت في طهران خلال شهر كانون الثاني "
                     "وفداً من طالبان برئاسة وزير الخارجية بالوكالة للحديث في ملفات الحدود. ")
    assert comma_edits(long_sentence + "ومنذ ذلك الحين تبدلت الأمور.") == []   # a real period, final too
    assert comma_edits("الشكل 2: عدد الهجمات في الولايات") == []              # a label
    assert comma_edits("وقال المسؤول في بيانه: «لن نسمح بذلك» أمس") == []      # a colon before a quote
    assert comma_probability(".", 30, "ومنذ") < comma_probability(".", 4, "فقد")


def test_english_evidence_raises_a_comma_odds():
    assert comma_probability(".", 12, "وسارعت", odds=8.0) > comma_probability(".", 12, "وسارعت")
    assert comma_probability(".", 12, "وسارعت", odds=0.5) < comma_probability(".", 12, "وسارعت")


@pytest.mark.parametrize("arabic, english, expected", [
    ("في 15 آب/أغسطس 1؛: انتهجت", "on August 15, 2021, Tehran pursued", [("1", "2021", "lost-digits")]),
    ("ويجري نحو 0 كيلومتراً", "it runs some 1,150 kilometers", [("0", "1150", "lost-digits")]),
    ("بزيادة قدرها 9040 عن العام", "a 40 percent increase over the year", [("9040", "40%", "percent-misread")]),
    ("بزيادة 968 عن العام", "up 8% from the year before", [("968", "8%", "percent-misread")]),
    ("نحو 780 ألف لاجئ في 2021", "some 780,000 refugees in 2021", []),                     # equal, with ألف
    ("نحو 1.2 مليون حالة", "more than 1.2 million returns", []),
    ("في عام 2020 نحو 2 مليون", "in 2021 about two million", [("2020", "2021", "one-digit-misread")]),
    ("بين 1 و 2 من الشهر", "between 12 and 21 of the month", []),                         # ambiguous
    ("قتل 3 أشخاص", "killed 30 people and 300 more", []),                                 # two partners
    ("ويصر المسؤولون في طهران 22 أن تكون", "officials in Tehran insist that", [("22", "", "stray-number")]),
    ("بزيادة 8% عن 7 العام", "up 8% from the year before", [("7", "", "stray-number")]),
    ("قبل 3 أيام من الهجوم", "three days before the attack", []),                         # a number word
    ("في 2 شباط أعلنت", "on February 2, the government said", []),
    ("في 15 آب/أغسطس 1 انتهجت", "on Aug. 15, 2021, Tehran pursued what one diplomat called",
     [("1", "2021", "lost-digits")]),                                    # "one" is no digit of the Arabic
    ("في 15 آب/أغسطس 1 وسمحت ١ لشاحنات", "on Aug. 15, 2021, it allowed trucks",
     [("1", "2021", "lost-digits"), ("١", "", "stray-number")]),         # ١ among Western digits: a speck
    ("الحركة . ظ 0 . وفدا", "in December 2021 the group told a delegation", []),   # a zero among specks
])
def test_numbers_restored_from_the_aligned_english(arabic, english, expected):
    edits = number_edits(arabic, english)
    assert [(arabic[a:b], after, rule) for a, b, after, rule, _ in edits] == expected


def test_english_sentence_ends_claim_the_nearest_arabic_ones():
    from pipeline.stages.spellfix import _english_ends_in_arabic
    assert _english_ends_in_arabic([100, 100, 100], [200, 100]) == {1}   # the first end is a misread comma
    assert _english_ends_in_arabic([100, 100], [90, 110]) == {0}
    assert _english_ends_in_arabic([100, 100], [200]) == set()           # one English sentence: all inside


def test_latin_comma_after_a_number():
    text = "في عام 2021, بزيادة قدرها 8 بالمئة"
    assert [(text[a:b], after) for a, b, after, *_ in comma_edits(text)] == [(",", "،")]


def test_noise_edits_are_a_layer_in_json_and_tei(tmp_path):
    from lxml import etree
    from pipeline.cli import main
    from pipeline.document import Bitext
    import json
    source = tmp_path / "ocr.txt"
    source.write_text("وقعت اشتباكات على الحدود. فقد أطلق حرس الحدود النار على المهربين في المنطقة الحدودية.\n\n"
                      "بدأت الأزمة في عام 2021 حين عبر نحو 780 ألف لاجئ، وسمحت ٠ لشاحنات الوقود بمواصلة العبور "
                      "في 12 كانون الثاني/يناير 2022.\n", encoding="utf-8")
    out = tmp_path / "o"
    assert main(["process", str(source), "-o", str(out)]) == 0
    bitext = Bitext.from_json(json.loads((out / "ocr.json").read_text(encoding="utf-8")))
    noise = {c.attrs["rule"]: c for c in bitext.ar.layer("corrections") if c.attrs["rule"] in ("stray-speck", "comma-misread")}
    assert noise["stray-speck"].attrs["before"] == "٠" and noise["stray-speck"].attrs["after"] == ""
    assert bitext.ar.raw[noise["comma-misread"].start:noise["comma-misread"].end] == "."
    assert bitext.ar.raw == source.read_text(encoding="utf-8")
    assert noise["comma-misread"].attrs["after"] == "،" and noise["comma-misread"].attrs["applied"]
    tree = etree.parse(str(out / "ocr.tei.xml"))
    fixes = {c.get("type"): (c.getprevious().text, c.text) for c in tree.iter("{http://www.tei-c.org/ns/1.0}corr")}
    assert fixes["stray-speck"] == ("٠", None) and fixes["comma-misread"] == (".", "،")
    assert main(["validate", str(out / "ocr.tei.xml")]) == 0


def test_sample_noise_repair_changes_nothing(sample_bitext):
    """The sample is born-digital: no speck or comma edit may be applied to it."""
    noise = ("stray-speck", "stray-number", "comma-misread", "comma-after-number", "lost-digits",
             "percent-misread")
    applied = [c for c in sample_bitext.ar.layer("corrections") if c.attrs["rule"] in noise and c.attrs["applied"]]
    assert applied == []


def test_the_scorer_pairs_words_where_ocr_split_merged_or_added_words():
    from pipeline.spell.evaluate import _word_truth
    assert ("مارزس", "مارس") in _word_truth("في آذار مارس الماضي", "في آذار مارزس و الماضي")   # a speck added
    assert ("تذكرافي", "تذكر في") in _word_truth("رغبة تذكر في الحوار", "ركية تذكرافي الحوار")  # a space lost
    truth = _word_truth("رفضت إيران ذلك", "رفضت إير ان ذلك")          # a word split pairs no word
    assert all(clean != "إيران" for _, clean in truth) and ("ذلك", "ذلك") in truth


FLOORS = tomllib.loads((ROOT / "tests" / "floors.toml").read_text(encoding="utf-8"))["spelling"]


@pytest.mark.parametrize("english, level", [(False, level) for level in sorted(FLOORS["test"])]
                         + [(True, level) for level in sorted(FLOORS["test_with_english"])])
def test_spelling_floors_on_real_ocr(english, level):
    from pipeline.spell.evaluate import evaluate_level, read_partners
    partners = read_partners(ROOT / "corpora" / "ocr" / "partners.toml") if english else None
    report = evaluate_level(ROOT / "corpora" / "ocr" / "test" / f"{level}.jsonl", english=partners).as_dict()
    floor = FLOORS["test_with_english" if english else "test"][level]
    assert report["precision"] >= floor["precision"], report
    assert report["cer_reduction_vs_normalized"] >= floor["cer_reduction_vs_normalized"], report
    assert report["noise_precision"] >= floor["noise_precision"], report


def test_clean_text_is_left_alone():
    from pipeline.spell.evaluate import evaluate_clean
    ceiling = FLOORS["clean"]
    report = evaluate_clean([ROOT / folder for folder in ceiling["folders"]]).as_dict()
    assert report["applied_per_1000_words"] <= ceiling["max_applied_per_1000_words"], report
    assert report["suggested_per_1000_words"] <= ceiling["max_suggested_per_1000_words"], report


# --- names: a projected gazetteer name read as the gazetteer spells it --------------------

@pytest.mark.parametrize("surface, spellings, expected", [
    ("نيمروزء", ["نيمروز"], ("نيمروز،", "glued-punctuation", 1)),      # a comma read as a hamza
    ("أففانستان", ["أفغانستان"], ("أفغانستان", "name-misread", 1)),     # غ read as ف
    ("أشرفغتي", ["أشرف غني"], ("أشرف غني", "name-misread", 2)),         # a lost space, ن read as ت
    ("هيلمند", ["هلمند"], None),                                         # a spelling variant: a vowel letter
    ("ننجرهار", ["ننكرهار"], None),                                      # a variant: ج for ك is no misreading
    ("نيمروز", ["نيمروز"], None),
])
def test_projected_names_take_the_gazetteer_spelling_only_for_ocr_errors(surface, spellings, expected):
    from pipeline.spell.fixer import glued_punctuation
    from pipeline.spell.names import name_edit
    assert name_edit(surface, spellings, glued_punctuation()) == expected


def test_a_titles_colon_is_never_read_as_a_comma(process_texts):
    bitext = process_texts("الرسوم والشاحنات وخطوط الصدع الطائفية في الشمال: جلجت بلتستان والطريق إلى الصين\n\n"
                           "أغلق التجار الطريق ثلاثة أيام احتجاجاً على ضريبة جديدة.\n",
                           "Tolls, Trucks, and Sectarian Fault Lines in the North: Gilgit-Baltistan and the Road to China\n\n"
                           "Traders closed the road for three days to protest a new tax.\n")
    assert not [c for c in bitext.ar.layer("corrections") if c.attrs["before"] == ":"]


def test_a_colon_the_english_has_at_the_same_place_stays(process_texts):
    bitext = process_texts("أغلق التجار الطريق ثلاثة أيام احتجاجاً على ضريبة جديدة فرضتها الحكومة المحلية.\n\n"
                           "وهذه المديرية التي دمجت في الإقليم عام 2018 موطن لقبيلتين من البشتون: الوزير في التلال "
                           "المحيطة بالبلدة والداور في الوادي.\n",
                           "Traders closed the road for three days to protest a new tax imposed by the local government.\n\n"
                           "The district, merged into the province in 2018, is home to two Pashtun tribes: the Wazir in "
                           "the hills around the town and the Dawar in the valley.\n")
    assert not [c for c in bitext.ar.layer("corrections") if c.attrs["before"] == ":"]


def test_the_mark_before_a_fragment_the_english_lacks_is_likelier_a_comma():
    from types import SimpleNamespace
    from pipeline.document import OffsetMap, Span, View
    from pipeline.stages.spellfix import _ends_before_fragments
    text = "وقع الاشتباك على أطراف ولاية. نيمروز الأفغانية. ودام ساعة."
    cut = [text.index("نيمروز"), text.index("ودام")]
    sentences = [Span(((0, cut[0] - 1),), "sentence", "ar.s1", {"block": "p1"}),
                 Span(((cut[0], cut[1] - 1),), "sentence", "ar.s2", {"block": "p1"}),
                 Span(((cut[1], len(text)),), "sentence", "ar.s3", {"block": "p1"})]
    side = SimpleNamespace(layer=lambda name: sentences)
    bitext = SimpleNamespace(ar=side, alignment=[{"ar": ["ar.s1", "ar.s3"], "en": ["en.s1"]},
                                                 {"ar": ["ar.s2"], "en": []}])
    reading = View(text, OffsetMap.identity(len(text)))
    assert _ends_before_fragments(bitext, reading) == [cut[0] - 2]     # the . after ولاية


def test_the_archive_adds_its_word_pairs_but_not_the_document_itself(tmp_path):
    from pipeline.errors import InputError
    from pipeline.spell.archive import context_with_archive
    document = "وأعلنت الجماعة ولاءها لدولة الإسلامية في المنطقة."
    (tmp_path / "other.txt").write_text("أعلن التنظيم ولاءه للدولة الإسلامية في العراق.\n", encoding="utf-8")
    (tmp_path / "same").mkdir()
    (tmp_path / "same" / "ar.txt").write_text(document + "\n", encoding="utf-8")
    alone = context_with_archive(document, document)
    context = context_with_archive(document, document, str(tmp_path))
    assert alone.support(None, "للدولة", "الإسلامية") == 0
    assert context.support(None, "للدولة", "الإسلامية") == 1            # from the other publication
    assert context.support(None, "لدولة", "الإسلامية") == 1             # the document once, not twice
    assert (alone.total, context.total) == (7, 14)                      # words counted for keyness alike
    with pytest.raises(InputError, match="not a folder"):
        context_with_archive(document, document, str(tmp_path / "missing"))


def test_a_word_spelled_alike_three_times_is_no_ocr_slip(tmp_path):
    from pipeline.process import entry_for_files, process_entry
    arabic = tmp_path / "ar.txt"
    arabic.write_text("عنوان المقال\n\nعقدت الجرغة اجتماعها في الوادي، وقالت جرغة القبائل إن الطريق مغلق، "
                      "فجرغة الشيوخ لا تقبل الضريبة الجديدة.\n", encoding="utf-8")
    bitext = process_entry(entry_for_files(arabic, None))
    jirga = [c for c in bitext.ar.layer("corrections") if "جرغة" in c.attrs["before"]]
    assert jirga and not any(c.attrs["applied"] for c in jirga)        # suggested, never applied
