"""The organisation tree through its services, with the audit log behind each change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from qzdesk.services import audit, clock
from qzdesk.services.changes import Topic
from qzdesk.services.errors import NotFound, ValidationError
from qzdesk.services.organisation import orgs
from qzdesk.services.organisation.overview import overview
from qzdesk.vocabulary import OrgKind, Sector
from tests.desks import desk_of


def root_of(store):
    return next(o for o in desk_of(store).read(orgs.list_orgs) if o.parent_id is None)


def branch_named(store, name):
    return next(o for o in desk_of(store).read(orgs.list_orgs) if o.name == name)


def test_add_branch_inherits_the_sector_and_is_audited(store, desk):
    root = root_of(store)
    outcome = desk.write(orgs.add_branch, root.id, "初一（１）班团支部", date(2026, 9, 1))
    branch = outcome.value
    assert branch.name == "初一（1）班团支部"  # full-width digit normalised, brackets kept
    assert branch.kind is OrgKind.BRANCH and branch.sector is Sector.MIDDLE_SCHOOL
    assert Topic.ORG in outcome.changed
    entry = desk_of(store).read(audit.recent, 1)[0]
    assert (entry.entity, entry.entity_id, entry.action) == ("org", str(branch.id), "create")
    assert entry.actor == "李文静"
    assert entry.after["name"] == "初一（1）班团支部" and entry.before is None


def test_names_must_be_unique_among_open_siblings(store):
    root = root_of(store)
    with pytest.raises(ValidationError, match="已有一个名为“初三（1）班团支部”") as refused:
        desk_of(store).write(orgs.add_branch, root.id, "  初三（1）班团支部 ")
    assert refused.value.field == "name"


def test_blank_and_overlong_names_are_refused(store):
    root = root_of(store)
    with pytest.raises(ValidationError, match="请填写组织名称"):
        desk_of(store).write(orgs.add_branch, root.id, "\u3000 ")
    with pytest.raises(ValidationError, match="最多 80 个字"):
        desk_of(store).write(orgs.add_branch, root.id, "团" * 81)


def test_nothing_is_created_under_a_branch(store):
    branch = branch_named(store, "初三（2）班团支部")
    with pytest.raises(ValidationError, match="团支部之下不能再设组织"):
        desk_of(store).write(orgs.add_branch, branch.id, "小组")


def test_rename_records_before_and_after(store):
    branch = branch_named(store, "教职工团支部")
    renamed = desk_of(store).write(orgs.rename_org, branch.id, "教职工第一团支部").value
    assert renamed.name == "教职工第一团支部"
    entry = desk_of(store).read(audit.recent, 1)[0]
    assert entry.action == "update"
    assert entry.before["name"] == "教职工团支部" and entry.after["name"] == "教职工第一团支部"


def test_update_root_changes_name_sector_and_parent_in_one_transaction(store, profiles):
    committee = OrgKind.COMMITTEE
    with pytest.raises(ValidationError):
        desk_of(store).write(orgs.update_root, "新名字", committee, Sector.HIGH_SCHOOL, "  ")
    assert root_of(store).name == "秦州区示范中学团委（演示）"  # nothing half-saved
    desk_of(store).write(
        orgs.update_root, "秦州区示范高中团委", committee, Sector.HIGH_SCHOOL, "共青团秦州区委"
    )
    data = desk_of(store, profiles).read(overview)
    assert data.root.name == "秦州区示范高中团委" and data.root.sector is Sector.HIGH_SCHOOL
    assert data.parent_org == "共青团秦州区委"


def test_the_top_organisation_changes_kind_only_when_its_branches_allow(store):
    root = root_of(store)
    with pytest.raises(ValidationError, match="不能改为团支部") as refused:
        desk_of(store).write(
            orgs.update_root, root.name, OrgKind.BRANCH, root.sector, "共青团秦州区委"
        )
    assert refused.value.field == "kind"
    changed = desk_of(store).write(
        orgs.update_root, root.name, OrgKind.GENERAL_BRANCH, root.sector, "共青团秦州区委"
    )
    assert changed.value.kind is OrgKind.GENERAL_BRANCH


def test_closing_keeps_the_branch_and_its_history(store, profiles):
    branch = branch_named(store, "初三（3）班团支部")
    closed = desk_of(store).write(orgs.close_org, branch.id, clock.today(), "并班").value
    assert not closed.is_open and closed.close_reason == "并班"
    data = desk_of(store, profiles).read(overview)
    assert branch.id in [b.id for b in data.closed_branches]
    assert branch.id not in [b.id for b in data.open_branches]
    actions = [
        (e.action, e.entity_id)
        for e in desk_of(store).read(audit.recent, 10_000)
        if e.entity == "org"
    ]
    assert ("close", str(branch.id)) in actions and ("create", str(branch.id)) in actions


def test_closing_needs_a_reason_and_a_sensible_date(store):
    branch = branch_named(store, "初三（3）班团支部")
    with pytest.raises(ValidationError, match="请填写撤销原因"):
        desk_of(store).write(orgs.close_org, branch.id, clock.today(), " ")
    with pytest.raises(ValidationError, match="不能晚于今天") as future:
        desk_of(store).write(orgs.close_org, branch.id, clock.today() + timedelta(days=1), "并班")
    assert future.value.field == "closed_on"
    with pytest.raises(ValidationError, match="不能早于成立日期"):
        desk_of(store).write(
            orgs.close_org, branch.id, branch.created_on - timedelta(days=1), "并班"
        )


def test_the_top_organisation_cannot_be_closed(store):
    with pytest.raises(ValidationError, match="不能撤销最上级组织"):
        desk_of(store).write(orgs.close_org, root_of(store).id, clock.today(), "撤销")


def test_a_closed_name_can_be_used_again_and_reopening_checks_for_clashes(store):
    branch = branch_named(store, "初二（1）班团支部")
    desk_of(store).write(orgs.close_org, branch.id, clock.today(), "升入初三")
    again = desk_of(store).write(orgs.add_branch, branch.parent_id, "初二（1）班团支部").value
    with pytest.raises(ValidationError, match="已有一个名为"):
        desk_of(store).write(orgs.reopen_org, branch.id)
    desk_of(store).write(orgs.close_org, again.id, clock.today(), "建错了")
    reopened = desk_of(store).write(orgs.reopen_org, branch.id).value
    assert reopened.is_open and reopened.close_reason is None


def test_reopening_an_open_branch_is_refused(store):
    with pytest.raises(ValidationError, match="无需恢复"):
        desk_of(store).write(orgs.reopen_org, branch_named(store, "初三（1）班团支部").id)


def test_a_general_branch_with_open_branches_cannot_be_closed(store):
    root = root_of(store)
    with store.transaction() as session:
        from qzdesk.models import Org

        general = orgs.create_org(
            session,
            store.actor,
            parent=session.get(Org, root.id),
            kind=OrgKind.GENERAL_BRANCH,
            sector=Sector.MIDDLE_SCHOOL,
            name="初三年级团总支",
            created_on=date(2025, 9, 1),
        )
        general_id = general.id
    desk_of(store).write(orgs.add_branch, general_id, "初三（5）班团支部")
    with pytest.raises(ValidationError, match="还有 1 个未撤销的组织"):
        desk_of(store).write(orgs.close_org, general_id, clock.today(), "年级合并")


def test_unknown_ids_are_reported(store):
    with pytest.raises(NotFound, match="找不到编号为 4242 的组织"):
        desk_of(store).write(orgs.rename_org, 4242, "x")
