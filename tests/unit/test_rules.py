"""Rule profiles load, carry their sources, and a broken one is a clear error."""

from __future__ import annotations

import shutil

import pytest

from qzdesk.services.errors import RuleProfileError
from qzdesk.services.organisation.rules import (
    DEFAULT_PROFILE_ID,
    bundled_rules_dir,
    load_profile,
    load_profiles,
)

DEFAULT_FILE = bundled_rules_dir() / f"{DEFAULT_PROFILE_ID}.toml"


def test_the_default_profile_carries_domain_values_with_sources(profiles):
    profile = profiles[DEFAULT_PROFILE_ID]
    assert profile.admission.min_age.value == 14
    assert profile.admission.max_age.value == 28
    assert profile.admission.sponsors.value == 2
    assert profile.quotas.middle_school_ratio.value == pytest.approx(0.15)
    assert profile.meetings.assembly_every_months.value == 3
    assert profile.membership.excellent_max_ratio.value == pytest.approx(0.30)
    assert profile.branch.rating_bands.value == [90, 80, 70, 60]
    for entry in profile.entries():
        assert entry.rule.source.strip(), entry.key
        assert entry.rule.label.strip(), entry.key


def test_unconfirmed_values_are_marked(profiles):
    profile = profiles[DEFAULT_PROFILE_ID]
    assert profile.admission.vote_pass_basis.unconfirmed
    assert profile.points.gates_four_have.unconfirmed
    assert profile.membership.age_out_warning_months.confidence == "D"  # qzdesk's own default
    assert not profile.membership.age_out_warning_months.unconfirmed
    assert profile.meetings.lecture_every_months.unconfirmed
    assert not profile.admission.min_age.unconfirmed


def write_variant(tmp_path, old: str, new: str):
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("value = 14\n", 'value = "十四"\n', "admission.min_age.value：应为整数"),
        (
            'confidence = "R"\n',
            'confidence = "maybe"\n',
            "admission.min_age.confidence：取值不在允许范围内",
        ),
        ("[admission.sponsors]\n", "[admission.sponsor]\n", "admission.sponsors：缺少此项"),
        (
            'unit = "周岁"\n',
            'unit = "周岁"\ncolour = "red"\n',
            "admission.min_age.colour：不认识的项目",
        ),
        ("value = 0.15\n", "value = 15\n", "初中团青比 应为 0 到 1 之间的比例"),
        ("value = [90, 80, 70, 60]", "value = [60, 70, 80, 90]", "对标定级分数线应为从高到低"),
        ("[profile]\n", "[profile\n", "格式有误（TOML）"),
    ],
)
def test_a_broken_profile_names_the_file_and_the_entry(tmp_path, old, new, expected):
    path = write_variant(tmp_path, old, new)
    with pytest.raises(RuleProfileError) as broken:
        load_profile(path)
    assert expected in str(broken.value)
    assert str(path) in str(broken.value)


def test_a_broken_profile_in_the_data_folder_stops_loading(tmp_path):
    write_variant(tmp_path, "value = 28\n", "value = 28.5\n")
    with pytest.raises(RuleProfileError, match=r"admission\.max_age\.value"):
        load_profiles([bundled_rules_dir(), tmp_path])


def test_an_adapted_copy_with_a_new_id_is_offered_beside_the_default(tmp_path):
    text = DEFAULT_FILE.read_text(encoding="utf-8").replace(
        'id = "qinzhou-2024"', 'id = "my-school-2025"'
    )
    (tmp_path / "mine.toml").write_text(text.replace("value = 5\n", "value = 7\n", 1), "utf-8")
    profiles = load_profiles([bundled_rules_dir(), tmp_path])
    assert profiles["my-school-2025"].admission.publicity_working_days.value == 7
    assert profiles[DEFAULT_PROFILE_ID].admission.publicity_working_days.value == 5


def test_the_same_id_twice_is_an_error(tmp_path):
    shutil.copy(DEFAULT_FILE, tmp_path / "copy.toml")
    with pytest.raises(RuleProfileError, match="出现两次"):
        load_profiles([bundled_rules_dir(), tmp_path])


def test_no_profile_at_all_is_an_error(tmp_path):
    with pytest.raises(RuleProfileError, match="没有找到任何规则配置"):
        load_profiles([tmp_path])
