"""Configuration layering and pipeline checks that report every problem at once."""
import pytest

from pipeline.config import load_config, merge
from pipeline.errors import ConfigError
from pipeline.registry import build_pipeline


def test_default_pipeline_builds():
    pipeline = build_pipeline(load_config())
    assert pipeline.names[0] == "ar.structure"


def test_every_problem_is_listed_at_once():
    config = {
        "pipeline": {"stages": ["ar.sentences", "ar.structure", "ar.nonsense", "ar.tokens", "ar.tokens"]},
        "stages": {"ar.structure": {"heading_max_words": "many", "colour": "red"},
                   "en.sentences": {"model": "x"}},
    }
    with pytest.raises(ConfigError) as caught:
        build_pipeline(config)
    problems = "\n".join(caught.value.problems)
    assert 'unknown stage "ar.nonsense"' in problems
    assert '"ar.sentences" requires ar.blocks' in problems and "put ar.structure" in problems
    assert '"ar.sentences" requires ar.view.reading' in problems
    assert 'unknown option "colour"' in problems
    assert 'option "heading_max_words": expected int, got str' in problems
    assert '"en.sentences"] configures a stage that is not in [pipeline]' in problems
    assert 'stage "ar.tokens" is listed twice' in problems
    assert len(caught.value.problems) == 7


def test_empty_pipeline_is_rejected():
    with pytest.raises(ConfigError, match="non-empty list"):
        build_pipeline({"pipeline": {"stages": []}})


def test_profile_and_user_file_are_layered(tmp_path):
    user = tmp_path / "mine.toml"
    user.write_text('[stages."ar.structure"]\nheading_max_words = 5\n', encoding="utf-8")
    config = load_config(user, "bayan-center")
    table = config["stages"]["ar.structure"]
    assert table["heading_max_words"] == 5          # the user's value wins
    assert table["front"]                           # the profile's rules stay
    assert config["pipeline"]["stages"]             # the defaults stay


def test_unknown_profile_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError, match='unknown profile "nope"'):
        load_config(None, "nope")
    bad = tmp_path / "bad.toml"
    bad.write_text("[pipeline\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)


def test_merge_replaces_lists_and_merges_tables():
    assert merge({"a": {"x": 1, "y": [1]}, "b": 2}, {"a": {"y": [2]}}) == {"a": {"x": 1, "y": [2]}, "b": 2}
