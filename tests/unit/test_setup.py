"""First-run setup through the service, as the wizard and `qzdesk init` use it."""

from __future__ import annotations

import pytest

from qzdesk.services import audit
from qzdesk.services.errors import ValidationError
from qzdesk.services.organisation import orgs
from qzdesk.services.organisation.orgs import organisation_name
from qzdesk.services.organisation.overview import overview
from qzdesk.services.setup import SetupRequest, initialise
from qzdesk.vocabulary import OrgKind, Sector
from tests.desks import desk_of


def school(**changes) -> SetupRequest:
    request = SetupRequest(
        org_name="秦州区第五中学团委",
        org_kind=OrgKind.COMMITTEE,
        sector=Sector.MIDDLE_SCHOOL,
        secretary="王芳",
        password="tuanzhibu1",
        profile_id="qinzhou-2024",
        branches=["初三（1）班团支部", "初三（2）班团支部", "初三（3）班团支部"],
        parent_org="共青团天水市秦州区委员会",
    )
    for key, value in changes.items():
        setattr(request, key, value)
    return request


def test_a_school_with_three_class_branches(empty_store, profiles):
    assert desk_of(empty_store).read(organisation_name) is None
    desk_of(empty_store, profiles).write(initialise, school())
    assert desk_of(empty_store).read(organisation_name) == "秦州区第五中学团委"
    data = desk_of(empty_store, profiles).read(overview)
    assert [b.name for b in data.open_branches] == school().branches
    assert data.secretary == "王芳" and data.parent_org == "共青团天水市秦州区委员会"
    assert data.profile.profile.id == "qinzhou-2024"
    assert {e.actor for e in desk_of(empty_store).read(audit.recent)} == {"王芳"}


def test_a_village_branch_stands_alone(empty_store, profiles):
    request = school(
        org_name="秦州区玉泉镇某村团支部",
        org_kind=OrgKind.BRANCH,
        sector=Sector.VILLAGE,
        branches=[],
    )
    root = desk_of(empty_store, profiles).write(initialise, request).value.org
    assert root.kind is OrgKind.BRANCH
    assert [o.id for o in desk_of(empty_store).read(orgs.list_orgs)] == [root.id]


def test_new_employment_groups_are_a_sector(empty_store, profiles):
    request = school(
        org_name="秦州区快递行业团支部",
        org_kind=OrgKind.BRANCH,
        sector=Sector.NEW_EMPLOYMENT,
        branches=[],
    )
    assert (
        desk_of(empty_store, profiles).write(initialise, request).value.org.sector
        is Sector.NEW_EMPLOYMENT
    )


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"branches": []}, "请至少添加一个团支部", "branches"),
        ({"org_kind": OrgKind.BRANCH}, "团支部之下不能再设团支部", "branches"),
        ({"branches": ["一班团支部", "一班团支部 "]}, "团支部名称重复：一班团支部", "branches"),
        ({"password": "12345"}, "至少 6 位", "password"),
        ({"secretary": " "}, "请填写书记姓名", "secretary"),
        ({"profile_id": "nowhere"}, "没有编号为 nowhere 的规则配置", "profile"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(
    empty_store, profiles, changes, message, field
):
    with pytest.raises(ValidationError, match=message) as refused:
        desk_of(empty_store, profiles).write(initialise, school(**changes))
    assert refused.value.field == field
    assert desk_of(empty_store).read(organisation_name) is None
    assert desk_of(empty_store).read(orgs.list_orgs) == []


def test_setup_runs_only_once(store, profiles):
    with pytest.raises(ValidationError, match="不能重复初始化"):
        desk_of(store, profiles).write(initialise, school())


@pytest.mark.parametrize("today", ["2026-01-05", "2026-02-10", "2026-07-01"])
def test_the_demo_builds_on_any_day_of_the_year(empty_store, profiles, today):
    from datetime import date

    from qzdesk.services.demo.build import build_demo
    from qzdesk.services.members import records

    build_demo(desk_of(empty_store, profiles), date.fromisoformat(today))
    statuses = [r.status.value for r in desk_of(empty_store).read(records.roster)]
    assert statuses.count("active") == 41 and len(statuses) == 43
