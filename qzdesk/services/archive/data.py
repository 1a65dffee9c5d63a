"""The archive's machine-readable data (qzdesk-archive.json): the snapshot serialised, and
what a reader checks beyond the schema (docs/archive-format.md)."""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

from qzdesk.services.archive.snapshot import Snapshot
from qzdesk.services.meetings.minutes import MeetingKind
from qzdesk.services.meetings.rating import BANDS
from qzdesk.services.members.records import audit_view
from qzdesk.services.members.validation import MONTH_FIELDS
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.receiving.summary import SummaryRow
from qzdesk.services.transfer.book import TransferRow

SCHEMA_VERSION = 7
READABLE_VERSIONS = (1, 2, 3, 4, 5, 6, 7)


def _optional(value: date | None) -> str | None:
    return value.isoformat() if value else None


def archive_data(snap: Snapshot, archive_id: str) -> dict[str, Any]:
    """The snapshot as plain data: every id one section names resolves in another."""
    org = snap.organisation
    rows = {row.archive_id: row for row in snap.received_rows}
    return {
        "schema_version": SCHEMA_VERSION,
        "archive_id": archive_id,
        "branch": {
            "name": org.root.name,
            "kind": org.root.kind.value,
            "sector": org.root.sector.value,
            "parent": org.parent,
            "certificate_sha256": org.fingerprint,
        },
        "rules": rule_values(org.profile),
        "period": {
            "code": snap.period.code,
            "start": snap.period.start.isoformat(),
            "end": snap.period.end.isoformat(),
            "as_of": snap.as_of.isoformat(),
        },
        "previous_archive_id": snap.previous_archive_id,
        "generated_at": snap.taken_at.astimezone(UTC).isoformat(timespec="seconds"),
        "branches": [
            {
                "id": o.id,
                "parent_id": o.parent_id,
                "kind": o.kind.value,
                "sector": o.sector.value,
                "name": o.name,
                "created_on": o.created_on.isoformat(),
                "closed_on": _optional(o.closed_on),
            }
            for o in snap.branches
        ],
        "members": [
            {
                "id": e.member_id,
                "branch_id": e.branch_id,
                **_months(audit_view(e.draft)),
                "branch": e.branch_name,
                "status": e.draft.status.value if e.left_on else "active",
                "left_on": _optional(e.left_on),
            }
            for e in snap.roster
        ],
        "admission": {
            "applicants": list(snap.applicants),
            "ledger": snap.ledger,
            "anchors": snap.anchors,
        },
        "meetings": list(snap.meetings),
        "evaluations": [
            {
                "branch_id": v.branch_id,
                "year": v.year,
                "held_on": v.held_on.isoformat(),
                "expected": v.expected,
                "present": v.present,
                "approved_on": _optional(v.approved_on),
                "entries": [
                    {
                        "member_id": r.member_id,
                        "name": r.name,
                        "votes": list(r.votes),
                        "grade": r.grade.value if r.grade else None,
                    }
                    for r in v.rows
                ],
            }
            for v in snap.evaluations
        ],
        "registrations": [
            {
                "member_id": r.member_id,
                "year": r.year,
                "status": r.status,
                "on": r.on.isoformat(),
                "follow_up_on": _optional(r.follow_up_on),
            }
            for r in snap.registrations
        ],
        "terms": list(snap.terms),
        "received": [
            {**r, "figures": _figures(rows[r["archive_id"]])} if r["archive_id"] in rows else r
            for r in snap.received
        ],
        "not_reported": list(snap.not_reported),
        "dues": {
            "due_members": snap.dues.due_members,
            "paid_members": snap.dues.paid_members,
            "due_fen": snap.dues.due_fen,
            "paid_fen": snap.dues.paid_fen,
            "lapsing": list(snap.dues.lapsing),
            "money": {
                "opening_fen": snap.money.opening_fen,
                "received_fen": snap.money.received_fen,
                "handed_up_fen": snap.money.handed_up_fen,
                "spent": [{"purpose": p.value, "amount_fen": a} for p, a in snap.money.spent],
                "closing_fen": snap.money.closing_fen,
                "to_hand_up_fen": snap.money.to_hand_up_fen,
            },
        },
        "transfers": [
            {
                "code": t.code,
                "direction": t.direction,
                "member_id": t.member_id,
                "name": t.name,
                "cause": t.cause.value,
                "other": {"org": t.other_side, "parent": _other_parent(t)},
                "out_on": t.out_on.isoformat(),
                "closed_on": _optional(t.closed_on),
                "state": t.state.value,
                "dues_paid_to": f"{t.dues_paid_to:%Y-%m}" if t.dues_paid_to else None,
            }
            for t in snap.transfers
        ],
        "party": [
            {
                "id": r.id,
                "member_id": r.member_id,
                "name": r.name,
                "branch_id": r.branch_id,
                "year": r.year,
                "steps": [
                    {"step": st.step.value, "on": st.on.isoformat(), "details": st.details}
                    for st in r.steps
                ],
            }
            for r in snap.recommendations
        ],
        "figures": {
            "meetings": [
                {
                    "branch_id": c.branch_id,
                    "kind": c.kind.value,
                    "required": c.required,
                    "held": c.held,
                    "drafts": c.drafts,
                }
                for c in snap.compliance
            ],
            "rating": [
                {
                    "branch_id": r.branch_id,
                    "year": r.year,
                    "total": r.total,
                    "band": r.band,
                    "vetoes": list(r.vetoes),
                    "lines": [
                        {"measure": line.measure, "share": line.share}
                        for d in r.dimensions
                        for line in d.lines
                    ],
                }
                for r in (snap.rating.branches if snap.rating else ())
            ],
        },
        **_committee_year(snap),
    }


def _counts(pairs: tuple[tuple[str, int], ...]) -> list[dict[str, Any]]:
    return [{"label": label, "count": n} for label, n in pairs]


def _committee_year(snap: Snapshot) -> dict[str, Any]:
    """A committee's register, cadre analysis and 考评, where it keeps them (format 6)."""
    found: dict[str, Any] = {}
    if (cov := snap.coverage) is not None:
        found["coverage"] = {
            "villages": cov.villages,
            "villages_with_org": cov.villages_with_org,
            "villages_without": list(cov.villages_without),
            "village_target": cov.village_target,
            "new_fields_now": cov.new_fields_now,
            "new_fields_year_before": cov.new_fields_year_before,
            "growth_target": cov.growth_target,
            "hollow_below": cov.hollow_below,
            "hollow": [{"org": name, "members": n} for name, n in cov.hollow],
            "no_secretary": list(cov.no_secretary),
            "set_up": [{"unit": name, "on": on.isoformat()} for name, on in cov.set_up],
            "dissolved": [{"unit": name, "on": on.isoformat()} for name, on in cov.dissolved],
            "units": [
                {
                    "name": x.state.name,
                    "township": x.state.township,
                    "sector": x.state.sector.value,
                    "has_org": x.state.has_org,
                    "org": x.state.org_name if x.state.has_org else None,
                    "form": x.state.form.value if x.state.has_org and x.state.form else None,
                    "members": x.members,
                    "secretary": x.secretary,
                    "four_has": {item.value: met for item, met in x.state.four_has.items()},
                }
                for x in cov.lines
            ],
        }
    if (cad := snap.cadres) is not None:
        found["cadres"] = {
            "by_level": _counts(cad.by_level),
            "by_post": _counts(cad.by_post),
            "ages": _counts(cad.ages),
            "average_age": cad.average_age,
            "genders": _counts(cad.genders),
            "ethnicities": _counts(cad.ethnicities),
            "education": _counts(cad.education),
            "political": _counts(cad.political),
            "natures": _counts(cad.natures),
            "years": _counts(cad.years),
            "no_secretary": list(cad.no_secretary),
            "watched": dict(cad.watched),
            "falls": [
                {"figure": f.figure, "before": f.before, "now": f.now, "explanation": f.explanation}
                for f in cad.falls
            ],
            "people": [
                {
                    "name": r.cadre.name,
                    "org": r.cadre.org_name,
                    "branch": r.cadre.branch,
                    "post": r.cadre.post,
                    "id_number": r.cadre.id_number,
                    "nature": r.nature.value if r.nature else None,
                    "in_post_since": f"{r.in_post_since:%Y-%m}" if r.in_post_since else None,
                    "trainings": [name for _, name in r.trainings],
                }
                for r in cad.rows
            ],
        }
    if snap.appraisals:
        found["appraisals"] = [
            {
                "name": r.name,
                "id_number": r.id_number,
                "org": r.org,
                "post": r.post,
                "year": r.year,
                "report_on": _optional(r.report_on),
                "party_grade": r.party_grade.value if r.party_grade else None,
                "votes": {g.value: n for g, n in r.votes.items()},
                "score": r.score,
                "result": r.result.value if r.result else None,
            }
            for r in snap.appraisals
        ]
    return found


def _months(values: dict[str, Any]) -> dict[str, Any]:
    """A field kept as a month (入团年月…) is written as its first day: the day a
    spreadsheet or a form happened to carry is not a fact the archive vouches for."""
    return {k: f"{v[:7]}-01" if k in MONTH_FIELDS else v for k, v in values.items()}


def _figures(row: SummaryRow) -> dict[str, Any]:
    """A received archive's figures as the committee's summary reads them, so the level
    above sees the subtree (a town's villages) and traces each to its archive's hash."""
    return {
        "branches": row.branches,
        "on_books": row.on_books,
        "joined": row.joined,
        "left": row.left,
        "held": row.held,
        "required": row.required,
        "attendance_rate": row.attendance_rate,
        "secretary": row.secretary,
        "rating": [{"branch": b, "total": t, "band": band} for b, t, band in row.ratings],
    }


def rule_values(profile: RuleProfile) -> dict[str, Any]:
    """The rule profile's values the archive's figures depend on, so a reader recomputes
    应开 and 定级 from the archive alone: the meeting frequencies (months per meeting, 0 as
    needed) and the rating scheme (each line's points, the bands' lower bounds, highest
    first, and the 一票否决 items)."""
    scheme = profile.branch.rating_scheme
    return {
        "id": profile.profile.id,
        "version": profile.profile.version,
        "meetings_every_months": {kind.value: kind.every_months(profile) for kind in MeetingKind},
        "rating": None
        if scheme is None
        else {
            "label": scheme.label,
            "bands": list(profile.branch.rating_bands.value),
            "band_names": list(BANDS),
            "lines": [
                {"measure": i.measure, "dimension": d.name, "name": i.name, "points": i.points}
                for d in scheme.dimensions
                for i in d.indicators
            ],
            "vetoes": [{"key": v.key, "name": v.name} for v in scheme.vetoes],
        },
    }


def _other_parent(t: TransferRow) -> str:
    return t.receiver.parent if t.direction == "out" else t.sender.parent


def references(data: dict[str, Any]) -> list[str]:
    """What JSON Schema cannot say: ids are unique and every id named resolves."""
    problems = []
    tables = {
        "branches": [b["id"] for b in data["branches"]],
        "members": [m["id"] for m in data["members"]],
        "applicants": [a["id"] for a in data["admission"]["applicants"]],
        "meetings": [m["content"]["id"] for m in data["meetings"]],
        "terms": [t["id"] for t in data["terms"]],
    }
    for table, ids in tables.items():
        if len(ids) != len(set(ids)):
            twice = sorted({i for i in ids if ids.count(i) > 1})
            problems.append(f"机读数据 {table} 中的编号重复：{twice}")
    branches, members = set(tables["branches"]), set(tables["members"])
    named = [
        *(("members", m["branch_id"], branches) for m in data["members"]),
        *(("meetings", m["content"]["branch_id"], branches) for m in data["meetings"]),
        *(("evaluations", v["branch_id"], branches) for v in data["evaluations"]),
        *(("terms", t["branch_id"], branches) for t in data["terms"]),
        *(("registrations", r["member_id"], members) for r in data["registrations"]),
        *(("transfers", t["member_id"], members) for t in data.get("transfers", [])),
        *(("party", r["member_id"], members) for r in data.get("party", [])),
        *(("party", r["branch_id"], branches) for r in data.get("party", [])),
    ]
    unresolved = sorted({(table, i) for table, i, known in named if i not in known})
    problems += [f"机读数据 {table} 引用了不存在的编号 {i}" for table, i in unresolved]
    return problems
