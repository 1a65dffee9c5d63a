"""Required versus held: the meetings the rule profile asks of each branch, per month or
quarter (one per window of the kind's frequency) and over the year, against the minutes
signed off (drafts are counted apart: not yet an archive)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from sqlalchemy import Integer, func, select

from qzdesk.models import Meeting, Org
from qzdesk.services.context import Context
from qzdesk.services.meetings.minutes import MeetingKind
from qzdesk.vocabulary import OrgKind

QUARTERS = "一二三四"


class WindowState(Enum):
    MET = "达到"
    MISSED = "未达到"
    OPEN = "进行中"  # the window has not ended yet and nothing is held so far
    FUTURE = "未开始"
    NOT_FORMED = "未成立"  # ended before the branch was set up: nothing was due


NOT_DUE = (WindowState.FUTURE, WindowState.NOT_FORMED)


@dataclass(frozen=True)
class Window:
    """One stretch of months in which the profile asks for one meeting of a kind."""

    first_month: int
    last_month: int
    held: int
    state: WindowState

    @property
    def label(self) -> str:
        first, last = self.first_month, self.last_month
        if first == last:
            return f"{first}月"
        if last - first == 2 and first % 3 == 1:
            return f"第{QUARTERS[first // 3]}季度"
        if (first, last) == (1, 12):
            return "全年"
        return {(1, 6): "上半年", (7, 12): "下半年"}.get((first, last), f"{first}–{last}月")


def windows(
    every: int,
    by_month: tuple[int, ...],
    judged_months: int,
    begun_months: int | None = None,
    formed_month: int = 1,
) -> tuple[Window, ...]:
    """The year cut into windows of `every` months; `judged_months` have ended and
    `begun_months` have begun (by default the one after them too: it is under way). A
    window that ended before `formed_month` (the branch's first month) owed nothing."""
    begun = judged_months + 1 if begun_months is None else begun_months
    found = []
    for first in range(1, 13, every):
        last = min(first + every - 1, 12)
        held = sum(by_month[first - 1 : last])
        if held:
            state = WindowState.MET
        elif last < formed_month:
            state = WindowState.NOT_FORMED
        elif last <= judged_months:
            state = WindowState.MISSED
        elif first <= begun:
            state = WindowState.OPEN
        else:
            state = WindowState.FUTURE
        found.append(Window(first, last, held, state))
    return tuple(found)


@dataclass(frozen=True)
class ComplianceCell:
    branch_id: int
    branch: str
    kind: MeetingKind
    required: int | None  # None: as needed
    held: int
    drafts: int
    by_month: tuple[int, ...]  # signed minutes per month, January first
    windows: tuple[Window, ...]  # empty for a kind held as needed
    formed_month: int = 1  # the months before the branch was set up show nothing
    since_month: int = 1  # the span judged starts here (a quarter's archive: its first month)

    @property
    def missed(self) -> list[Window]:
        return [
            w
            for w in self.windows
            if w.state is WindowState.MISSED and w.last_month >= self.since_month
        ]

    @property
    def met(self) -> bool:
        return not self.missed

    HEADERS = ("团支部", "会议", "应开", "已开", "未签字", "未达到的时段")

    def cells(self) -> list[str]:
        """One row of the compliance table, as the screen and the PDF show it."""
        return [
            self.branch,
            self.kind.label,
            "按需" if self.required is None else str(self.required),
            str(self.held),
            str(self.drafts) if self.drafts else "",
            "、".join(w.label for w in self.missed),
        ]

    MONTHS = tuple(f"{m}月" for m in range(1, 13))

    def month_cells(self) -> list[str]:
        """Signed minutes per month; × marks the months of a window that ended without one."""
        return [
            ""
            if month < self.since_month  # before the span: another archive's
            else str(n)
            if n
            else ("×" if state is WindowState.MISSED else "")
            for month, n, state in zip(
                range(1, 13), self.by_month, self.month_states(), strict=True
            )
        ]

    def month_states(self) -> list[WindowState | None]:
        """For each month, the state of the window it belongs to (None: as needed)."""
        states: list[WindowState | None] = [None] * 12
        for window in self.windows:
            if window.last_month < self.since_month:
                continue  # before the span: another archive's
            for month in range(max(window.first_month, self.formed_month), window.last_month + 1):
                states[month - 1] = window.state
        return states


def owed(found: tuple[Window, ...], since_month: int = 1) -> int:
    """应开: the windows owed from `since_month` on: begun by the day judged, not ended
    before the branch was set up, nor before the span began."""
    return sum(1 for w in found if w.state not in NOT_DUE and w.last_month >= since_month)


def required(every: int, year: int, as_of: date, created_on: date, since: date) -> int | None:
    """应开 of one branch and kind in [since, as_of] of `year` at a frequency of one per
    `every` months (None: as needed). The one definition: the branch's own page and a
    committee reading its archive both count with it."""
    if not every:
        return None
    found = windows(every, (0,) * 12, *_span(year, as_of, created_on))
    return owed(found, since.month if since.year == year else 1)


def _span(year: int, as_of: date, created_on: date) -> tuple[int, int, int]:
    """(months ended, months begun, the branch's first month) of `year` as of a day."""
    ended = judged_months(year, as_of + timedelta(days=1))
    begun = 12 if as_of.year > year else as_of.month
    return ended, begun, created_on.month if created_on.year == year else 1


def judged_months(year: int, today: date) -> int:
    """Months of `year` that have ended by `today` (the current month is not judged yet)."""
    if year < today.year:
        return 12
    return today.month - 1 if year == today.year else 0


def compliance(
    ctx: Context,
    year: int,
    today: date | None = None,
    as_of: date | None = None,
    since: date | None = None,
) -> list[ComplianceCell]:
    """Per open branch and meeting kind, judged up to the last month ended by `today`; with
    `as_of` (a period's last day), up to that day: meetings held later are not counted and
    the months after it are not judged. (A meeting of the period signed later counts: its
    signature confirms what happened then.) With `since` (a quarter's or month's first
    day), 应开 and 已开 are of the span from it; a window's state still counts a meeting
    held in it before."""
    ended = judged_months(year, as_of + timedelta(days=1) if as_of else today or ctx.today)
    # As of a day, no month after that day's has begun.
    begun = None if as_of is None else (12 if as_of.year > year else as_of.month)
    last_day = min(as_of, date(year, 12, 31)) if as_of else date(year, 12, 31)
    first = since.month if since and since.year == year else 1
    session = ctx.session
    profile = ctx.profile
    # The branches that existed on the last day judged: not one set up later, nor
    # one closed by then.
    branches = list(
        session.execute(
            select(Org.id, Org.name, Org.created_on)
            .where(
                Org.kind == OrgKind.BRANCH.value,
                Org.created_on <= last_day,
                (Org.closed_on.is_(None)) | (Org.closed_on > last_day),
            )
            .order_by(Org.position, Org.id)
        )
    )
    month = func.cast(func.strftime("%m", Meeting.held_on), Integer)
    counts: dict[tuple[int, str, str], list[int]] = {}
    for branch_id, kind, status, in_month, n in session.execute(
        select(Meeting.branch_id, Meeting.kind, Meeting.status, month, func.count())
        .where(Meeting.held_on >= date(year, 1, 1), Meeting.held_on <= last_day)
        .group_by(Meeting.branch_id, Meeting.kind, Meeting.status, month)
    ):
        counts.setdefault((branch_id, kind, status), [0] * 12)[in_month - 1] = n
    cells = []
    for branch_id, name, created_on in branches:
        formed = created_on.month if created_on.year == year else 1
        for kind in MeetingKind:
            every = kind.every_months(profile)
            by_month = tuple(counts.get((branch_id, kind.value, "signed"), [0] * 12))
            found = windows(every, by_month, ended, begun, formed) if every else ()
            drafts = counts.get((branch_id, kind.value, "draft"), [0] * 12)
            cells.append(
                ComplianceCell(
                    branch_id,
                    name,
                    kind,
                    owed(found, first) if every else None,
                    sum(by_month[first - 1 :]),
                    sum(drafts[first - 1 :]),
                    by_month,
                    found,
                    formed,
                    first,
                )
            )
    return cells
