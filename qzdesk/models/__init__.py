"""The typed ORM over the branch's SQLite file. Plain Python: never imports Qt."""

from qzdesk.models.audit import AuditEntry
from qzdesk.models.base import Base
from qzdesk.models.engine import make_engine
from qzdesk.models.member import (
    IdType,
    ImportBatch,
    Member,
    MemberEvent,
    MemberStatus,
    PoliticalStatus,
)
from qzdesk.models.org import Org, OrgKind, Sector
from qzdesk.models.setting import Setting

__all__ = [
    "AuditEntry",
    "Base",
    "IdType",
    "ImportBatch",
    "Member",
    "MemberEvent",
    "MemberStatus",
    "Org",
    "OrgKind",
    "PoliticalStatus",
    "Sector",
    "Setting",
    "make_engine",
]
