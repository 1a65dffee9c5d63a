"""Building blocks for the admission tests: a profile whose points rules bind, applicants."""

from __future__ import annotations

from datetime import date

from qzdesk.services.admission import applicants, ledger
from qzdesk.services.admission.applicants import ApplicantDraft
from qzdesk.services.members import records
from qzdesk.services.members.idcard import check_char
from qzdesk.services.organisation.rules import RuleProfile
from tests.desks import desk_of

TODAY = date(2026, 6, 1)


def rid(born: str, order: int = 11) -> str:
    first17 = f"620502{born}{order:03d}"
    return first17 + check_char(first17)


def binding(profiles: dict[str, RuleProfile]) -> dict[str, RuleProfile]:
    """The default profile with its points scheme and gates confirmed (S), so they block."""
    profile = profiles["qinzhou-2024"]
    points = profile.points
    confirmed = {
        name: getattr(points, name).model_copy(update={"confidence": "S"})
        for name in ("gates_four_have", "gates_four_meet", "gates_one_excellent")
    }
    points = points.model_copy(
        update={**confirmed, "scheme": points.scheme.model_copy(update={"confidence": "S"})}
    )
    return {**profiles, "qinzhou-2024": profile.model_copy(update={"points": points})}


def branch_id(store, name: str = "初三（1）班团支部") -> int:
    return dict((n, i) for i, n in desk_of(store).read(records.open_branches))[name]


def new_applicant(
    store, profiles, name="李小红", born="20100501", order=22, applied=date(2025, 3, 3)
):
    draft = ApplicantDraft(name=name, id_number=rid(born, order), grade="初三", class_name="1班")
    return (
        desk_of(store, profiles)
        .write(applicants.add_applicant, draft, branch_id(store), applied, TODAY)
        .value
    )


def approved_points(store, profiles, applicant_id, items, on):
    """Post (item, grade) entries and have the leadership group approve them."""
    ids = [
        desk_of(store, profiles)
        .write(ledger.post_entry, applicant_id, item, on, grade, today=TODAY)
        .value.id
        for item, grade in items
    ]
    desk_of(store).write(ledger.review_entries, ids, "approved", on, "王校长、赵老师", today=TODAY)
    return ids


def active_member_ids(store, count: int) -> list[int]:
    rows = [r for r in desk_of(store).read(records.roster) if r.status.value == "active"]
    return [r.id for r in rows[:count]]
