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
from qzdesk.services.context import Context
from qzdesk.services.dues.amounts import yuan_text
from qzdesk.services.meetings.compliance import required
from qzdesk.services.meetings.minutes import MeetingKind
from qzdesk.services.meetings.rating import band_for, total_of
from qzdesk.services.meetings.terms import organisation_secretary
from qzdesk.services.organisation.orgs import counts_as_branch
from qzdesk.services.organisation.rules import RuleProfile
from qzdesk.services.party.recommend import party_figures
from qzdesk.services.periods import Period, parse_period
from qzdesk.services.transfer.book import transfer_figures
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
    rating: str = ""  # 定级 per band, recomputed from the archive's rule values
    ratings: tuple[tuple[str, float, str], ...] = ()  # (branch, total, band) recomputed
    differs: tuple[str, ...] = ()  # where the branch's own figures differ from the recount
    depth: int = 0  # 1: an archive a received committee's archive vouches for (its subtree)
    dues_due: int = 0  # 团费应交人数 (format 4; 0 where none owed or not reported)
    dues_paid: int = 0  # of them, who met every month owed
    handed_up_fen: int | None = None  # 团费 passed up in the period (format 6)
    spent_fen: int | None = None  # 团费 spent in the period
    transfers_out: int = 0  # 组织关系转出 in the period (format 5)
    transfers_in: int = 0
    recommended: int = 0  # 推优入党 approved in the period (format 5)
    converted: int = 0  # of them and before, taken in by the Party in the period

    @property
    def dues_rate(self) -> float | None:
        """团费收缴率: of the members who owed, those who met every month."""
        return self.dues_paid / self.dues_due if self.dues_due else None

    @property
    def money_text(self) -> str:
        """团费 passed up / spent in yuan; empty where an archive did not report them."""
        if self.handed_up_fen is None or self.spent_fen is None:
            return ""
        return f"{yuan_text(self.handed_up_fen)}/{yuan_text(self.spent_fen)}"

    @property
    def label(self) -> str:
        """The organisation's name, indented under the committee that received it."""
        return f"{'　' * (self.depth - 1)}└ {self.org_name}" if self.depth else self.org_name

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
        "定级",
        "团费收缴率",
        "团费上缴/支出（元）",
        "转出/转入",
        "推优入党/党组织吸收",
        "核对",
    )

    def cells(self) -> list[object]:
        def pair(kind: str) -> str:
            required = self.required[kind]
            return f"{self.held[kind]}/{'—' if required is None else required}"

        return [
            self.label,
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
            self.rating,
            "" if self.dues_rate is None else f"{self.dues_rate:.0%}",
            self.money_text,
            f"{self.transfers_out}/{self.transfers_in}",
            f"{self.recommended}/{self.converted}",
            "；".join(self.differs) or "一致",
        ]


def frequencies(data: dict[str, Any], profiles: dict[str, RuleProfile]) -> dict[str, int] | None:
    """Months per meeting of each kind (0: as needed) by the rules the archive states
    (format 4), else by its named profile when installed here; None when neither."""
    rules = data.get("rules", {})
    if "meetings_every_months" in rules:
        return dict(rules["meetings_every_months"])
    profile = profiles.get(rules.get("id", ""))
    if profile is None:
        return None
    return {kind.value: kind.every_months(profile) for kind in MeetingKind}


def _required(
    every: dict[str, int] | None,
    kind: str,
    period: Period,
    as_of: date,
    branches: list[dict[str, Any]],
) -> int | None:
    """应开 of a kind over the archive's branches, counted as each branch's own page
    counts it (compliance.required)."""
    if every is None or not every.get(kind):
        return None
    return sum(
        required(
            every[kind], period.end.year, as_of, date.fromisoformat(b["created_on"]), period.start
        )
        or 0
        for b in branches
    )


def recounted_ratings(data: dict[str, Any]) -> list[tuple[str, float, str, str]]:
    """(branch, recomputed total, recomputed band, the branch's own band) for each branch
    the archive rates, from its rule values alone (format 4)."""
    scheme = (data.get("rules") or {}).get("rating")
    if not scheme:
        return []
    points = {line["measure"]: line["points"] for line in scheme["lines"]}
    names = {b["id"]: b["name"] for b in data.get("branches", [])}
    found = []
    for own in data.get("figures", {}).get("rating", []):
        total = total_of([(points.get(line["measure"], 0), line["share"]) for line in own["lines"]])
        band = band_for(total, scheme["bands"], own["vetoes"])
        found.append((names.get(own["branch_id"], ""), total, band, own["band"]))
    return found


def _differences(
    data: dict[str, Any],
    required_here: dict[str, int | None],
    ratings: list[tuple[str, float, str, str]],
) -> tuple[str, ...]:
    """Where the branch's own figures (format 4) differ from the committee's recount."""
    own: dict[str, int] = {}
    for cell in data.get("figures", {}).get("meetings", []):
        if cell["required"] is not None:
            own[cell["kind"]] = own.get(cell["kind"], 0) + cell["required"]
    notes = [
        f"{label}应开：本级核算 {required_here[kind]}，台账自报 {own[kind]}"
        for kind, label in KINDS
        if kind in own and required_here[kind] is not None and own[kind] != required_here[kind]
    ]
    notes += [
        f"{branch}定级：本级核算 {band}，台账自报 {theirs}"
        for branch, _total, band, theirs in ratings
        if band != theirs
    ]
    return tuple(notes)


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


def on_books_of(data: dict[str, Any]) -> int:
    """在册: the members on the books at the archive's day, as its data gives them."""
    return sum(1 for m in data["members"] if m["status"] == "active")


def secretary_of(data: dict[str, Any]) -> str | None:
    """The organisation's 书记 by its archive's election records; None where none."""
    terms = [t for t in data.get("terms", []) if not t["void_reason"]]
    root_id = next((b["id"] for b in data.get("branches", []) if b["parent_id"] is None), -1)
    return organisation_secretary(terms, root_id)


def row_of(data: dict[str, Any], profiles: dict[str, RuleProfile]) -> SummaryRow:
    period = parse_period(data["period"]["code"])
    as_of = date.fromisoformat(data["period"].get("as_of", data["period"]["end"]))
    branches = [b for b in data.get("branches", []) if counts_as_branch(b["kind"], b["closed_on"])]
    members = data["members"]
    signed = [m for m in data["meetings"] if m["status"] == "signed"]
    held = Counter(m["content"]["kind"] for m in signed)
    attended = [a for m in signed for a in m["content"]["attendance"]]
    present = sum(1 for a in attended if a[1] == "present")
    profile = profiles.get(data.get("rules", {}).get("id", ""))
    every = frequencies(data, profiles)
    required_here = {kind: _required(every, kind, period, as_of, branches) for kind, _ in KINDS}
    ratings = recounted_ratings(data)
    terms = [t for t in data.get("terms", []) if not t["void_reason"]]
    secretary = secretary_of(data)
    return SummaryRow(
        org_name=data["branch"]["name"],
        kind=OrgKind(data["branch"]["kind"]).label if "kind" in data["branch"] else "",
        sector=Sector(data["branch"]["sector"]).label if "sector" in data["branch"] else "",
        archive_id=data["archive_id"],
        as_of=as_of.isoformat(),
        branches=len(branches),
        on_books=on_books_of(data),
        joined=sum(
            1
            for m in members
            if period.start.isoformat() <= m.get("joined_on", "") <= as_of.isoformat()
        ),
        left=sum(1 for m in members if m["left_on"] and m["left_on"] >= period.start.isoformat()),
        applicants=dict(Counter(a["stage"] for a in data["admission"]["applicants"])),
        held={kind: held.get(kind, 0) for kind, _ in KINDS},
        required=required_here,
        attendance_rate=present / len(attended) if attended else None,
        registered=sum(1 for r in data["registrations"] if r["status"] == "registered"),
        evaluated=sum(len(v["entries"]) for v in data["evaluations"]),
        secretary=secretary or UNKNOWN,
        election=election_state(terms, max(len(branches), 1), as_of, profile),
        rating="、".join(
            f"{band} {n}" for band, n in Counter(band for _, _, band, _ in ratings).items()
        ),
        ratings=tuple((branch, total, band) for branch, total, band, _ in ratings),
        differs=_differences(data, required_here, ratings),
        **_dues(data.get("dues")),
        **_transfers(data),
        **_party(data, period.start.isoformat()),
    )


def _transfers(data: dict[str, Any]) -> dict[str, int]:
    figures = transfer_figures((t["direction"], t["state"]) for t in data.get("transfers", []))
    return {"transfers_out": figures.out, "transfers_in": figures.came}


def _party(data: dict[str, Any], start: str) -> dict[str, int]:
    figures = party_figures(
        [[(s["step"], s["on"], s["details"]) for s in r["steps"]] for r in data.get("party", [])],
        start,
    )
    return {"recommended": figures.recommended, "converted": figures.converted}


def _dues(dues: dict[str, Any] | None) -> dict[str, int | None]:
    """The archive's own 团费 figures (format 4; the money from format 6)."""
    money = (dues or {}).get("money")
    return {
        "dues_due": dues["due_members"] if dues else 0,
        "dues_paid": dues["paid_members"] if dues else 0,
        "handed_up_fen": money["handed_up_fen"] if money else None,
        "spent_fen": sum(s["amount_fen"] for s in money["spent"]) if money else None,
    }


def _known_sum(values: list[int | None]) -> int | None:
    """A total that is unknown where any part is (an archive from before the figure)."""
    return None if any(v is None for v in values) else sum(v or 0 for v in values)


def summed(rows: list[SummaryRow]) -> SummaryRow:
    """合计 of the rows: counts added, 已开/应开 added per kind (应开 unknown where any
    row's is), the ratings pooled. A subtree's rows are in their committee's already."""
    rows = [r for r in rows if not r.depth]

    def total(kind: str) -> int | None:
        return _known_sum([r.required[kind] for r in rows])

    ratings = tuple(rating for r in rows for rating in r.ratings)
    return SummaryRow(
        org_name="合计",
        kind="",
        sector="",
        archive_id="",
        as_of="",
        branches=sum(r.branches for r in rows),
        on_books=sum(r.on_books for r in rows),
        joined=sum(r.joined for r in rows),
        left=sum(r.left for r in rows),
        applicants=dict(sum((Counter(r.applicants) for r in rows), Counter())),
        held={kind: sum(r.held[kind] for r in rows) for kind, _ in KINDS},
        required={kind: total(kind) for kind, _ in KINDS},
        attendance_rate=None,
        registered=sum(r.registered for r in rows),
        evaluated=sum(r.evaluated for r in rows),
        secretary="",
        election="",
        rating="、".join(f"{band} {n}" for band, n in Counter(b for _, _, b in ratings).items()),
        ratings=ratings,
        transfers_out=sum(r.transfers_out for r in rows),
        transfers_in=sum(r.transfers_in for r in rows),
        recommended=sum(r.recommended for r in rows),
        converted=sum(r.converted for r in rows),
        dues_due=sum(r.dues_due for r in rows),
        dues_paid=sum(r.dues_paid for r in rows),
        handed_up_fen=_known_sum([r.handed_up_fen for r in rows]),
        spent_fen=_known_sum([r.spent_fen for r in rows]),
    )


def current_archives(ctx: Context, period_code: str) -> list[dict[str, Any]]:
    """The data of the current (not superseded) accepted archive of each organisation for
    the period, by organisation name."""
    code = parse_period(period_code).code
    session = ctx.session
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


def summary(ctx: Context, period_code: str) -> list[SummaryRow]:
    return rows_of(current_archives(ctx, period_code), dict(ctx.profiles))


def rows_of(archives: list[dict[str, Any]], profiles: dict[str, RuleProfile]) -> list[SummaryRow]:
    """A row per archive, each committee's followed by the rows of the archives its own
    signed archive vouches for (the villages under a town)."""
    return [row for data in archives for row in (row_of(data, profiles), *subtree(data))]


def subtree(data: dict[str, Any]) -> list[SummaryRow]:
    """The archives a committee's archive received (format 4), a row each from the
    figures it signed, each traceable by its archive id to that archive's hash."""
    found = []
    for received in data.get("received", []):
        figures = received.get("figures")
        if figures is None:
            continue
        ratings = tuple((r["branch"], r["total"], r["band"]) for r in figures["rating"])
        found.append(
            SummaryRow(
                org_name=received["org"],
                kind="",
                sector="",
                archive_id=received["archive_id"],
                as_of="",
                branches=figures["branches"],
                on_books=figures["on_books"],
                joined=figures["joined"],
                left=figures["left"],
                applicants={},
                held=dict(figures["held"]),
                required=dict(figures["required"]),
                attendance_rate=figures["attendance_rate"],
                registered=0,
                evaluated=0,
                secretary=figures["secretary"],
                election="",
                rating="、".join(
                    f"{band} {n}" for band, n in Counter(b for _, _, b in ratings).items()
                ),
                ratings=ratings,
                depth=1,
            )
        )
    return found
