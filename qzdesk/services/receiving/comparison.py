"""互查互评互比: the organisations received for a period side by side on the same measures,
each ranked, and a month × organisation grid of the meetings held. Every figure comes from
the 汇总表's row of that organisation (its signed archive), none from elsewhere."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from qzdesk.services.context import Context
from qzdesk.services.periods import parse_period
from qzdesk.services.receiving.summary import (
    KINDS,
    SummaryRow,
    current_archives,
    row_of,
    rows_of,
)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def meetings_done(row: SummaryRow) -> float | None:
    """Meetings held against required, each kind capped at its requirement (six lectures
    do not make up for a missing assembly); None when no requirement is known."""
    known = [(row.held[k], r) for k, _ in KINDS if (r := row.required[k]) is not None and r > 0]
    if not known:
        return None
    return sum(min(held, required) for held, required in known) / sum(r for _, r in known)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    value: Callable[[SummaryRow], float | None]
    percent: bool = True


MEASURES = (
    Measure("meetings", "三会两制一课完成率", meetings_done),
    Measure("attendance", "出勤率", lambda r: r.attendance_rate),
    Measure("registered", "团籍注册率", lambda r: _share(r.registered, r.on_books)),
    Measure("evaluated", "评议完成率", lambda r: _share(r.evaluated, r.on_books)),
    Measure("joined", "本期发展团员", lambda r: float(r.joined), percent=False),
    Measure("on_books", "在册团员", lambda r: float(r.on_books), percent=False),
)


@dataclass(frozen=True)
class Compared:
    org_name: str
    values: dict[str, float | None]
    ranks: dict[str, int | None]  # 1 = best; ties share a rank; None: no figure

    def text(self, key: str) -> str:
        value = self.values[key]
        measure = next(m for m in MEASURES if m.key == key)
        if value is None:
            return "—"
        return f"{value:.0%}" if measure.percent else f"{value:g}"


def _ranks(values: dict[str, float | None]) -> dict[str, int | None]:
    known = sorted((v for v in values.values() if v is not None), reverse=True)
    return {name: None if v is None else known.index(v) + 1 for name, v in values.items()}


def compare(rows: list[SummaryRow]) -> list[Compared]:
    """Each organisation's figure and rank on every measure, sorted by the meetings rank."""
    by_measure = {m.key: {r.org_name: m.value(r) for r in rows} for m in MEASURES}
    ranks = {key: _ranks(values) for key, values in by_measure.items()}
    found = [
        Compared(
            r.org_name,
            {m.key: by_measure[m.key][r.org_name] for m in MEASURES},
            {m.key: ranks[m.key][r.org_name] for m in MEASURES},
        )
        for r in rows
    ]
    return sorted(found, key=lambda c: (c.ranks["meetings"] or len(rows) + 1, c.org_name))


@dataclass(frozen=True)
class MonthGrid:
    """Signed meetings held per organisation and month of the period."""

    months: list[str]  # "2026-01"
    rows: list[tuple[str, list[int]]]


def month_grid(archives: list[dict[str, Any]], period_code: str) -> MonthGrid:
    period = parse_period(period_code)
    months = []
    day = date(period.start.year, period.start.month, 1)
    while day <= period.end:
        months.append(f"{day:%Y-%m}")
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    rows = []
    for data in archives:
        held = Counter(
            m["content"]["held_on"][:7] for m in data["meetings"] if m["status"] == "signed"
        )
        rows.append((data["branch"]["name"], [held.get(month, 0) for month in months]))
    return MonthGrid(months, rows)


@dataclass(frozen=True)
class Comparison:
    period: str
    compared: list[Compared]
    grid: MonthGrid


def comparison(ctx: Context, period_code: str) -> Comparison:
    archives = current_archives(ctx, period_code)
    rows = [row_of(data, dict(ctx.profiles)) for data in archives]
    return Comparison(
        parse_period(period_code).code, compare(rows), month_grid(archives, period_code)
    )


@dataclass(frozen=True)
class PeriodView:
    """What the 收件 page shows for a period, read in one pass over the archives."""

    summary: list[SummaryRow]
    comparison: Comparison


def period_view(ctx: Context, period_code: str) -> PeriodView:
    archives = current_archives(ctx, period_code)
    # The summary shows each committee's subtree under it; comparing is between peers.
    shown = rows_of(archives, dict(ctx.profiles))
    rows = [r for r in shown if not r.depth]
    code = parse_period(period_code).code
    return PeriodView(shown, Comparison(code, compare(rows), month_grid(archives, code)))
