"""汇总表: one row per organisation received for a period, computed only from the data
its signed archive carries (nothing recomputed from the committee's own records), with
the requirement for meetings counted by the rule profile the archive names."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from qzdesk.models import Receipt
from qzdesk.services.meetings.terms import organisation_secretary
from qzdesk.services.organisation.orgs import counts_as_branch
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.periods import parse_period
from qzdesk.services.storage.store import Store
from qzdesk.vocabulary import UNKNOWN, OrgKind, Sector

KINDS = (
    ("assembly", "支部大会"),
    ("committee", "支委会"),
    ("lecture", "团课"),
    ("league_day", "主题团日"),
)
STAGES = (
    ("applicant", "申请人"),
    ("activist", "积极分子"),
    ("candidate", "发展对象"),
    ("member", "已批准"),
)


@dataclass(frozen=True)
class SummaryRow:
    org_name: str
    kind: str
    sector: str
    archive_id: str
    as_of: str
    branches: int
    on_books: int
    joined: int
    left: int
    applicants: dict[str, int]
    held: dict[str, int]
    required: dict[str, int | None]  # None: the archive's rule profile is not installed here
    attendance_rate: float | None
    registered: int
    evaluated: int
    secretary: str
    election: str  # 换届: within term, due soon, overdue, or none on record

    HEADERS = (
        "组织",
        "类型",
        "领域",
        "台账编号",
        "数据截至",
        "团支部数",
        "在册团员",
        "本期入团",
        "本期离团",
        *(f"{label}" for _, label in STAGES),
        *(f"{label}（已开/应开）" for _, label in KINDS),
        "出勤率",
        "已注册",
        "已评议",
        "书记",
        "换届",
    )

    def cells(self) -> list[object]:
        def pair(kind: str) -> str:
            required = self.required[kind]
            return f"{self.held[kind]}/{'—' if required is None else required}"

        return [
            self.org_name,
            self.kind,
            self.sector,
            self.archive_id,
            self.as_of,
            self.branches,
            self.on_books,
            self.joined,
            self.left,
            *(self.applicants.get(stage, 0) for stage, _ in STAGES),
            *(pair(kind) for kind, _ in KINDS),
            "" if self.attendance_rate is None else f"{self.attendance_rate:.0%}",
            self.registered,
            self.evaluated,
            self.secretary,
            self.election,
        ]


def _required(
    profile: RuleProfile | None, kind: str, start: date, as_of: date, branches: int
) -> int | None:
    """Windows begun in [start, as_of] at the profile's frequency, for every branch."""
    if profile is None:
        return None
    every = getattr(profile.meetings, f"{kind}_every_months").value
    if not every:
        return 0
    months = (as_of.year - start.year) * 12 + as_of.month - start.month + 1
    first = start.month
    begun = sum(1 for m in range(first, first + months) if (m - 1) % every == 0)
    return begun * branches


def election_state(
    terms: list[dict[str, Any]], branches: int, as_of: date, profile: RuleProfile | None
) -> str:
    """Each branch's latest valid term against the archive's day: the warning window is
    the archive's own rule profile's (none when that profile is not installed here)."""
    latest: dict[int, dict[str, Any]] = {}
    for term in terms:
        if term["elected_on"] <= as_of.isoformat():
            held = latest.get(term["branch_id"])
            if held is None or term["elected_on"] > held["elected_on"]:
                latest[term["branch_id"]] = term
    if not latest:
        return "无选举记录"
    ends = sorted(date.fromisoformat(t["ends_on"]) for t in latest.values())
    overdue = sum(1 for end in ends if end < as_of)
    warning = profile.branch.term_warning_days.value if profile is not None else 0
    due = sum(1 for end in ends if as_of <= end <= as_of + timedelta(days=warning))
    parts = []
    if overdue:
        parts.append(f"{overdue} 个已到期未换届")
    if due:
        parts.append(f"{due} 个将于 {warning} 天内到期")
    if len(latest) < branches:
        parts.append(f"{branches - len(latest)} 个无选举记录")
    return "；".join(parts) or f"任期内（最早 {ends[0]:%Y-%m} 届满）"


def row_of(data: dict[str, Any], profiles: dict[str, RuleProfile]) -> SummaryRow:
    period = parse_period(data["period"]["code"])
    as_of = date.fromisoformat(data["period"].get("as_of", data["period"]["end"]))
    branches = [
        b for b in data.get("branches", []) if counts_as_branch(b["kind"], b["closed_on"])
    ]
    count = max(len(branches), 1)
    members = data["members"]
    on_books = [m for m in members if m["status"] == "active"]
    signed = [m for m in data["meetings"] if m["status"] == "signed"]
    held = Counter(m["content"]["kind"] for m in signed)
    attended = [a for m in signed for a in m["content"]["attendance"]]
    present = sum(1 for a in attended if a[1] == "present")
    profile = profiles.get(data.get("rules", {}).get("id", ""))
    terms = [t for t in data.get("terms", []) if not t["void_reason"]]
    root_id = next((b["id"] for b in data.get("branches", []) if b["parent_id"] is None), -1)
    secretary = organisation_secretary(terms, root_id)
    return SummaryRow(
        org_name=data["branch"]["name"],
        kind=OrgKind(data["branch"]["kind"]).label if "kind" in data["branch"] else "",
        sector=Sector(data["branch"]["sector"]).label if "sector" in data["branch"] else "",
        archive_id=data["archive_id"],
        as_of=as_of.isoformat(),
        branches=len(branches),
        on_books=len(on_books),
        joined=sum(
            1
            for m in members
            if period.start.isoformat() <= m.get("joined_on", "") <= as_of.isoformat()
        ),
        left=sum(1 for m in members if m["left_on"] and m["left_on"] >= period.start.isoformat()),
        applicants=dict(Counter(a["stage"] for a in data["admission"]["applicants"])),
        held={kind: held.get(kind, 0) for kind, _ in KINDS},
        required={kind: _required(profile, kind, period.start, as_of, count) for kind, _ in KINDS},
        attendance_rate=present / len(attended) if attended else None,
        registered=sum(1 for r in data["registrations"] if r["status"] == "registered"),
        evaluated=sum(len(v["entries"]) for v in data["evaluations"]),
        secretary=secretary or UNKNOWN,
        election=election_state(terms, max(len(branches), 1), as_of, profile),
    )


def current_archives(store: Store, period_code: str) -> list[dict[str, Any]]:
    """The data of the current (not superseded) accepted archive of each organisation for
    the period, by organisation name."""
    code = parse_period(period_code).code
    with store.transaction() as session:
        found = session.scalars(
            select(Receipt)
            .where(
                Receipt.period_code == code,
                Receipt.accepted.is_(True),
                Receipt.superseded_by.is_(None),
            )
            .order_by(Receipt.org_name)
        ).all()
        return [r.data for r in found if r.data]


def summary(store: Store, profiles: dict[str, RuleProfile], period_code: str) -> list[SummaryRow]:
    return [row_of(data, profiles) for data in current_archives(store, period_code)]
