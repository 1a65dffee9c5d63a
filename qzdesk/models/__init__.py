"""The typed ORM over the branch's SQLite file. Plain Python: never imports Qt."""

from qzdesk.models.admission import (
    Applicant,
    MemberNoBlock,
    Objection,
    Publicity,
    PublicityEntry,
    Quota,
    StageEvent,
)
from qzdesk.models.attachment import Attachment
from qzdesk.models.audit import AuditEntry
from qzdesk.models.base import Base
from qzdesk.models.committee import (
    Appraisal,
    CadreFile,
    CadreTraining,
    FallNote,
    Unit,
    UnitCheck,
    UnitEvent,
)
from qzdesk.models.dues import DuesBasis, DuesEntry, DuesMoney
from qzdesk.models.engine import make_engine
from qzdesk.models.evaluation import EvaluationEntry, EvaluationSession, Registration
from qzdesk.models.ledger import PointsEntry, PointsReview
from qzdesk.models.meeting import (
    Addendum,
    Attendance,
    Meeting,
    MeetingAttachment,
    MeetingPlan,
    Observer,
)
from qzdesk.models.member import (
    ImportBatch,
    Member,
    MemberEvent,
)
from qzdesk.models.org import (
    Org,
)
from qzdesk.models.party import Recommendation, RecommendationStep
from qzdesk.models.rating import RatingVeto
from qzdesk.models.receiving import Receipt, TrustedCert
from qzdesk.models.setting import Setting
from qzdesk.models.term import Term
from qzdesk.models.transfer import MemberPaper, Transfer

__all__ = [
    "Addendum",
    "Applicant",
    "Appraisal",
    "Attachment",
    "Attendance",
    "AuditEntry",
    "Base",
    "CadreFile",
    "CadreTraining",
    "DuesBasis",
    "DuesEntry",
    "DuesMoney",
    "EvaluationEntry",
    "EvaluationSession",
    "FallNote",
    "ImportBatch",
    "Meeting",
    "MeetingAttachment",
    "MeetingPlan",
    "Member",
    "MemberEvent",
    "MemberNoBlock",
    "MemberPaper",
    "Objection",
    "Observer",
    "Org",
    "PointsEntry",
    "PointsReview",
    "Publicity",
    "PublicityEntry",
    "Quota",
    "RatingVeto",
    "Receipt",
    "Recommendation",
    "RecommendationStep",
    "Registration",
    "Setting",
    "StageEvent",
    "Term",
    "Transfer",
    "TrustedCert",
    "Unit",
    "UnitCheck",
    "UnitEvent",
    "make_engine",
]
