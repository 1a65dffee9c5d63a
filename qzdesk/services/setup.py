"""First-run setup: the organisation, its branches, the secretary, password and profile."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from qzdesk.models import Org
from qzdesk.services import audit, clock
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.names import clean_name
from qzdesk.services.organisation import orgs
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.organisation.settings import (
    Key,
    check_profile,
    read,
    write,
)
from qzdesk.services.security import branch_key, store_key
from qzdesk.services.security.passwords import check_new_password, hash_password
from qzdesk.vocabulary import OrgKind, Sector


@dataclass
class SetupRequest:
    org_name: str
    org_kind: OrgKind
    sector: Sector
    secretary: str
    password: str
    profile_id: str
    branches: list[str] = field(default_factory=list)
    parent_org: str = ""  # required: the committee above, as the secretary names it
    founded_on: date | None = None
    branches_founded: dict[str, date] = field(default_factory=dict)  # a later start, by name
    recovery_code: str = ""  # one already written down (init --recovery-pdf); else made here


@dataclass(frozen=True)
class Founded:
    """What setup made: the organisation, and the 恢复码 to show once and print."""

    org: orgs.OrgInfo
    recovery_code: str


def validate(request: SetupRequest, profiles: dict[str, RuleProfile]) -> list[str]:
    """The branch names, cleaned; raises ValidationError naming the first problem."""
    clean_name(request.org_name, "组织名称", "org_name")
    clean_name(request.secretary, "书记姓名", "secretary", max_length=40)
    clean_name(request.parent_org, "上级团组织名称", "parent_org")
    check_new_password(request.password)
    check_profile(request.profile_id, profiles)
    return clean_branch_names(request.org_kind, request.branches)


def clean_branch_names(kind: OrgKind, raw_names: list[str]) -> list[str]:
    """The branches to create under a new organisation of this kind, cleaned and checked."""
    names = [clean_name(n, "团支部名称", "branches") for n in raw_names if n.strip()]
    if kind is OrgKind.BRANCH and names:
        raise ValidationError(
            "团支部之下不能再设团支部；请把组织类型选为团委或团总支。", "branches"
        )
    if kind is not OrgKind.BRANCH and not names:
        raise ValidationError("请至少添加一个团支部（例如每个班级一个）。", "branches")
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ValidationError(f"团支部名称重复：{'、'.join(repeated)}。", "branches")
    return names


def initialise(ctx: Context, request: SetupRequest) -> Outcome[Founded]:
    branch_names = validate(request, dict(ctx.profiles))
    founded = request.founded_on or ctx.today
    session = ctx.session
    if read(session, Key.SETUP_DONE) is not None or session.scalar(select(Org.id).limit(1)):
        raise ValidationError("该数据目录已经设置过组织，不能重复初始化。")
    secretary = clean_name(request.secretary, "书记姓名", "secretary", max_length=40)
    root = orgs.create_org(
        session,
        secretary,
        parent=None,
        kind=request.org_kind,
        sector=request.sector,
        name=request.org_name,
        created_on=founded,
    )
    for name in branch_names:
        orgs.create_org(
            session,
            secretary,
            parent=root,
            kind=OrgKind.BRANCH,
            sector=request.sector,
            name=name,
            created_on=request.branches_founded.get(name, founded),
        )
    write(session, secretary, Key.SECRETARY, secretary)
    write(session, secretary, Key.PARENT_ORG, clean_name(request.parent_org, "", ""))
    write(session, secretary, Key.PROFILE, request.profile_id)
    write(session, secretary, Key.PASSWORD_HASH, hash_password(request.password))
    write(session, secretary, Key.SETUP_DONE, clock.now_utc().isoformat())
    created = orgs.info(root)
    # The key is written before this transaction commits, so a kill leaves either no
    # organisation or one that can sign. A key without an organisation is from an
    # earlier setup that never committed (or a file since lost): kept aside, not used.
    now = clock.now_utc()
    branch_key.retire_files(ctx.store, now)
    parent = clean_name(request.parent_org, "", "")
    info = branch_key.issue_key(ctx.store, request.password, created.name, parent, now)
    audit.record(
        session,
        secretary,
        "branch_key",
        info.fingerprint,
        "create",
        after={"subject": info.subject, "organisation": info.organisation},
    )
    # Sealed last and before the commit: a kill before it leaves a store that was
    # never set up (discarded at the next start), never records nobody can open.
    code = store_key.seal(
        ctx.store.paths, request.password, created.name, request.recovery_code or None
    )
    return Outcome(Founded(created, code), frozenset(Topic))
