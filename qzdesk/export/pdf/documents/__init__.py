"""Every document an archive can hold, in the order the archive binds them."""

from qzdesk.export.pdf.documents import (
    admission,
    committee,
    dues,
    evaluation,
    meetings,
    overview,
    party,
    points_record,
    received,
    roster,
    transfers,
)
from qzdesk.export.pdf.spec import DocumentSpec

DOCUMENTS: tuple[DocumentSpec, ...] = (
    overview.OVERVIEW,
    roster.ROSTER,
    transfers.TRANSFERS,
    admission.SUMMARY,
    admission.PUBLICITY,
    admission.RESOLUTIONS,
    party.PARTY,
    points_record.POINTS_RECORD,
    meetings.PLAN,
    meetings.MINUTES_BOOK,
    meetings.COMPLIANCE,
    evaluation.EVALUATION,
    dues.DUES,
    received.RECEIVED,
    committee.COVERAGE,
    committee.CADRES,
    committee.APPRAISALS,
)
