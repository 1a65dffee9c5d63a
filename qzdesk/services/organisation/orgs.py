"""The organisation tree: list, add, rename, close and reopen branches.

Organisations are never deleted (a trigger refuses it): closing a branch records the
date and reason and keeps its history.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qzdesk.models import Org
from qzdesk.services import audit
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import NotFound, ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.names import clean_name
from qzdesk.services.organisation import settings
from qzdesk.vocabulary import BranchNature, OrgKind, Sector


@dataclass(frozen=True)
class OrgInfo:
    id: int
    parent_id: int | None
    kind: OrgKind
    sector: Sector
    name: str
    position: int
    created_on: date
    closed_on: date | None
    close_reason: str | None
    nature: BranchNature = BranchNature.REGULAR

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def status_label(self) -> str:
        if self.closed_on is None:
            return "正常"
        return f"已撤销（{self.closed_on.isoformat()}）"

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "parent_id": self.parent_id,
            "kind": self.kind.value,
            "sector": self.sector.value,
            "name": self.name,
            "created_on": self.created_on.isoformat(),
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "close_reason": self.close_reason,
        }


def info(org: Org) -> OrgInfo:
    return OrgInfo(
        id=org.id,
        parent_id=org.parent_id,
        kind=OrgKind(org.kind),
        sector=Sector(org.sector),
        name=org.name,
        position=org.position,
        created_on=org.created_on,
        closed_on=org.closed_on,
        close_reason=org.close_reason,
        nature=BranchNature(org.nature),
    )


def organisation_name(ctx: Context) -> str | None:
    """The top organisation's name once setup is complete, else None."""
    return root_name(ctx.session)


def root_name(session: Session) -> str | None:
    """`organisation_name` for the store's own keeping (opening, keys), outside a unit."""
    if settings.read(session, settings.Key.SETUP_DONE) is None:
        return None
    return session.scalar(select(Org.name).where(Org.parent_id.is_(None)))


def list_orgs(ctx: Context) -> list[OrgInfo]:
    """All organisations, closed ones included, parents before children."""
    session = ctx.session
    rows = session.scalars(select(Org).order_by(Org.parent_id.is_not(None), Org.position))
    return [info(o) for o in rows]


def counts_as_branch(kind: str, closed_on: object) -> bool:
    """What every view counts as a 团支部 on a day (组织概况, the committee's summary): a
    branch not closed by then. `closed_on` as the day's records show it (orgs_on)."""
    return kind == OrgKind.BRANCH.value and not closed_on


def orgs_on(ctx: Context, day: date) -> list[OrgInfo]:
    """The organisation tree as of `day`: units created by then; a closing after `day`
    has not happened yet."""
    found = []
    for org in list_orgs(ctx):
        if org.created_on > day:
            continue
        if org.closed_on is not None and org.closed_on > day:
            org = replace(org, closed_on=None, close_reason=None)
        found.append(org)
    return found


def _get(session: Session, org_id: int) -> Org:
    return get_row(
        session, Org, org_id, f"找不到编号为 {org_id} 的组织，可能已被其他操作更改，请刷新后再试。"
    )


def _check_unique(session: Session, parent_id: int | None, name: str, skip: int | None) -> None:
    clash = session.scalar(
        select(Org).where(
            Org.parent_id == parent_id, Org.name == name, Org.closed_on.is_(None), Org.id != skip
        )
    )
    if clash is not None:
        raise ValidationError(f"已有一个名为“{name}”的组织，请换一个名称。", "name")


def create_org(
    session: Session,
    actor: str,
    *,
    parent: Org | None,
    kind: OrgKind,
    sector: Sector,
    name: str,
    created_on: date,
) -> Org:
    """Insert one organisation inside an open transaction (used by setup and add_branch)."""
    name = clean_name(name, "组织名称", "name")
    parent_id = parent.id if parent else None
    if parent is not None:
        if OrgKind(parent.kind) is OrgKind.BRANCH:
            raise ValidationError("团支部之下不能再设组织。", "parent")
        if parent.closed_on is not None:
            raise ValidationError(f"“{parent.name}”已撤销，不能在其下新建组织。", "parent")
    _check_unique(session, parent_id, name, None)
    position = session.scalar(
        select(func.coalesce(func.max(Org.position), -1) + 1).where(Org.parent_id == parent_id)
    )
    org = Org(
        parent_id=parent_id,
        kind=kind.value,
        sector=sector.value,
        name=name,
        position=position,
        created_on=created_on,
    )
    session.add(org)
    session.flush()
    audit.record(session, actor, "org", org.id, "create", after=info(org).as_dict())
    return org


def add_branch(
    ctx: Context, parent_id: int, name: str, created_on: date | None = None
) -> Outcome[OrgInfo]:
    session = ctx.session
    parent = _get(session, parent_id)
    org = create_org(
        session,
        ctx.actor,
        parent=parent,
        kind=OrgKind.BRANCH,
        sector=Sector(parent.sector),
        name=name,
        created_on=created_on or ctx.today,
    )
    return Outcome(info(org), frozenset({Topic.ORG, Topic.AUDIT}))


def _update(
    session: Session,
    actor: str,
    org: Org,
    name: str,
    sector: Sector | None = None,
    kind: OrgKind | None = None,
) -> Org:
    before = info(org).as_dict()
    new_name = clean_name(name, "组织名称", "name")
    _check_unique(session, org.parent_id, new_name, org.id)
    org.name = new_name
    if sector is not None:
        org.sector = sector.value
    if kind is not None and kind.value != org.kind:
        children = session.scalar(
            select(func.count()).where(Org.parent_id == org.id, Org.closed_on.is_(None))
        )
        if kind is OrgKind.BRANCH and children:
            raise ValidationError(
                f"“{org.name}”下还有 {children} 个在册组织，不能改为团支部；请先撤销它们。", "kind"
            )
        org.kind = kind.value
    session.flush()
    after = info(org).as_dict()
    if after != before:
        audit.record(session, actor, "org", org.id, "update", before, after)
    return org


def set_nature(ctx: Context, org_id: int, nature: BranchNature) -> Outcome[OrgInfo]:
    """常设, 流动, 临时 or 待转接: only a 常设 团支部 is rated (对标定级)."""
    session = ctx.session
    org = _get(session, org_id)
    if org.kind != OrgKind.BRANCH.value:
        raise ValidationError("只有团支部区分常设、流动、临时和待转接。", "nature")
    before = org.nature
    if before != nature.value:
        org.nature = nature.value
        audit.record(
            session,
            ctx.actor,
            "org",
            org.id,
            "nature",
            {"nature": before},
            {"nature": nature.value},
        )
    return Outcome(info(org), frozenset({Topic.ORG, Topic.MEETINGS, Topic.AUDIT}))


def rename_org(ctx: Context, org_id: int, name: str) -> Outcome[OrgInfo]:
    session = ctx.session
    org = _update(session, ctx.actor, _get(session, org_id), name)
    return Outcome(info(org), frozenset({Topic.ORG, Topic.AUDIT}))


def update_root(
    ctx: Context, name: str, kind: OrgKind, sector: Sector, parent_org: str
) -> Outcome[OrgInfo]:
    """The top organisation's name, kind and sector, and the committee above it, in one go."""
    parent_org = clean_name(parent_org, "上级团组织名称", "parent_name")
    session = ctx.session
    root = session.scalar(select(Org).where(Org.parent_id.is_(None)))
    if root is None:
        raise NotFound("尚未设置组织，请先完成首次设置。")
    org = _update(session, ctx.actor, root, name, sector, kind)
    settings.write(session, ctx.actor, settings.Key.PARENT_ORG, parent_org)
    return Outcome(info(org), frozenset({Topic.ORG, Topic.SETTINGS, Topic.AUDIT}))


def close_org(ctx: Context, org_id: int, closed_on: date, reason: str) -> Outcome[OrgInfo]:
    """Close (撤销) a branch or general branch; it stays listed with its history."""
    reason = clean_name(reason, "撤销原因", "reason", max_length=200)
    session = ctx.session
    org = _get(session, org_id)
    if org.parent_id is None:
        raise ValidationError("不能撤销最上级组织；如需更改，请修改其名称或类型。")
    if org.closed_on is not None:
        raise ValidationError(f"“{org.name}”已于 {org.closed_on.isoformat()} 撤销。")
    if closed_on < org.created_on:
        raise ValidationError(
            f"撤销日期不能早于成立日期 {org.created_on.isoformat()}。", "closed_on"
        )
    if closed_on > ctx.today:
        raise ValidationError("撤销日期不能晚于今天。", "closed_on")
    open_children = session.scalar(
        select(func.count()).where(Org.parent_id == org.id, Org.closed_on.is_(None))
    )
    if open_children:
        raise ValidationError(
            f"“{org.name}”下还有 {open_children} 个未撤销的组织，请先撤销或调整它们。"
        )
    before = info(org).as_dict()
    org.closed_on = closed_on
    org.close_reason = reason
    session.flush()
    audit.record(session, ctx.actor, "org", org.id, "close", before, info(org).as_dict())
    return Outcome(info(org), frozenset({Topic.ORG, Topic.AUDIT}))


def reopen_org(ctx: Context, org_id: int) -> Outcome[OrgInfo]:
    """Undo a close made by mistake; the close and the reopening both stay in the audit log."""
    session = ctx.session
    org = _get(session, org_id)
    if org.closed_on is None:
        raise ValidationError(f"“{org.name}”没有撤销，无需恢复。")
    parent = session.get(Org, org.parent_id) if org.parent_id else None
    if parent is not None and parent.closed_on is not None:
        raise ValidationError(f"上级组织“{parent.name}”已撤销，请先恢复上级组织。")
    _check_unique(session, org.parent_id, org.name, org.id)
    before = info(org).as_dict()
    org.closed_on = None
    org.close_reason = None
    session.flush()
    audit.record(session, ctx.actor, "org", org.id, "reopen", before, info(org).as_dict())
    return Outcome(info(org), frozenset({Topic.ORG, Topic.AUDIT}))
