"""Installation settings: secretary, parent committee, the rule profile in force."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from qzdesk.models import Setting
from qzdesk.services import audit
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import RuleProfileError, ValidationError
from qzdesk.services.names import clean_name
from qzdesk.services.organisation.rules import RuleProfile


class Key(StrEnum):
    SECRETARY = "secretary.name"
    PARENT_ORG = "org.parent_name"
    PROFILE = "rules.profile_id"
    PASSWORD_HASH = "auth.password_hash"
    SUBMISSION_DAYS = "receiving.submission_days"
    SETUP_DONE = "setup.completed_at"
    FILES_KEY = "storage.files_key"  # seals files kept beside the data file (sealed_files.py)
    IMPORT_MAPPINGS = "import.mappings"  # columns mapped by hand (members/mappings.py)


# Values never copied into the audit log.
SECRET_KEYS = frozenset({Key.PASSWORD_HASH, Key.FILES_KEY})

# An example shown in an empty field, never filled in as a value: an archive is signed
# under the parent committee named here.
PARENT_ORG_EXAMPLE = "共青团天水市秦州区委员会"


def read(session: Session, key: Key, default: Any = None) -> Any:
    row = session.get(Setting, key.value)
    return default if row is None else row.value


def write(session: Session, actor: str, key: Key, value: Any, *, audited: bool = True) -> None:
    row = session.get(Setting, key.value)
    before = None if row is None else row.value
    if row is None:
        session.add(Setting(key=key.value, value=value))
    else:
        row.value = value
    if audited and before != value:
        hidden = key in SECRET_KEYS
        audit.record(
            session,
            actor,
            "setting",
            key.value,
            "set",
            None if hidden else {"value": before},
            None if hidden else {"value": value},
        )


def _set(ctx: Context, key: Key, value: Any) -> Outcome[None]:
    session = ctx.session
    write(session, ctx.actor, key, value)
    return Outcome(None, frozenset({Topic.SETTINGS, Topic.AUDIT}))


def set_secretary_name(ctx: Context, name: str) -> Outcome[None]:
    return _set(ctx, Key.SECRETARY, clean_name(name, "书记姓名", "secretary", max_length=40))


SUBMISSION_DAYS = 15  # qzdesk's default: a period's archives are due half a month after it


def submission_days(ctx: Context) -> int:
    session = ctx.session
    return int(read(session, Key.SUBMISSION_DAYS, SUBMISSION_DAYS))


def set_submission_days(ctx: Context, days: int) -> Outcome[None]:
    """The committee's own deadline: archives received later are marked 逾期."""
    if not 0 <= days <= 366:
        raise ValidationError("报送期限应在 0 到 366 天之间。", "submission_days")
    outcome = _set(ctx, Key.SUBMISSION_DAYS, days)
    return Outcome(None, outcome.changed | {Topic.RECEIVING})


def check_profile(profile_id: str, profiles: dict[str, RuleProfile]) -> str:
    if profile_id not in profiles:
        known = "、".join(sorted(profiles))
        raise ValidationError(f"没有编号为 {profile_id} 的规则配置（可选：{known}）。", "profile")
    return profile_id


def set_profile(ctx: Context, profile_id: str) -> Outcome[None]:
    return _set(ctx, Key.PROFILE, check_profile(profile_id, dict(ctx.profiles)))


def profile_in_force(profile_id: str | None, profiles: dict[str, RuleProfile]) -> RuleProfile:
    if profile_id not in profiles:
        raise RuleProfileError(
            f"在用的规则配置 {profile_id} 找不到了（文件被移走或改名？）。"
            "请把它放回 rules 文件夹，或在“设置 → 规则配置”中另选一个。"
        )
    return profiles[profile_id]


def active_profile(session: Session, profiles: dict[str, RuleProfile]) -> RuleProfile:
    return profile_in_force(read(session, Key.PROFILE), profiles)


def rules_in_force(ctx: Context) -> RuleProfile:
    return ctx.profile
