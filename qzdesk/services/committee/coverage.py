"""Coverage for a period, from the register's dated changes and the archives received:
villages with an organisation against all villages (the profile's target, 100 % in the
plan) with the list of those without; 三新 units with an organisation at the period's end
against a year before (the growth rate against the profile's target); 空心团支部 and
organisations with no 书记 on record; the organisations set up and dissolved in the period.
One function for the page, the committee's archive and the spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy import select

from qzdesk.models import UnitEvent
from qzdesk.services.committee.register import UnitState, units_on
from qzdesk.services.context import Context
from qzdesk.services.dates import add_months
from qzdesk.services.periods import Period
from qzdesk.services.receiving.facts import OrgFacts, facts_as_of
from qzdesk.vocabulary import UNKNOWN, Sector, UnitChange


@dataclass(frozen=True)
class UnitLine:
    """A unit as the coverage page lists it at the period's end."""

    state: UnitState
    members: int | None  # 在册 from its latest archive, else as the committee typed it
    secretary: str | None  # from its latest archive; None: none on record
    archive_id: str | None

    HEADERS = ("单位", "乡镇（街道）", "领域", "青年", "团组织", "组建方式", "团员", "书记", "四有")

    def cells(self) -> list[str]:
        state = self.state
        return [
            state.name,
            state.township or UNKNOWN,
            state.sector.label,
            UNKNOWN if state.youth_count is None else str(state.youth_count),
            (state.org_name or "") if state.has_org else "未建立",
            state.form.label if state.has_org and state.form else "",
            UNKNOWN if self.members is None else str(self.members),
            (self.secretary or UNKNOWN) if state.has_org else "",
            state.four_has_text if state.has_org else "",
        ]


@dataclass(frozen=True)
class Coverage:
    period: Period
    villages: int
    villages_with_org: int
    villages_without: tuple[str, ...]
    village_target: float
    new_fields_now: int  # 三新 units with an organisation at the period's end
    new_fields_year_before: int
    growth_target: float
    hollow: tuple[tuple[str, int], ...]  # organisations with fewer members than the line
    hollow_below: int
    no_secretary: tuple[str, ...]
    set_up: tuple[tuple[str, date], ...]  # in the period
    dissolved: tuple[tuple[str, date], ...]
    by_sector: tuple[tuple[Sector, int, int], ...]  # units, with an organisation
    lines: tuple[UnitLine, ...]

    @property
    def village_rate(self) -> float | None:
        return self.villages_with_org / self.villages if self.villages else None

    @property
    def _growth(self) -> Fraction | None:
        """三新 growth over the year, exactly (20 % of 5 is 1, not 0.19999…); None where
        there was nothing to grow from."""
        before = self.new_fields_year_before
        return Fraction(self.new_fields_now - before, before) if before else None

    @property
    def growth(self) -> float | None:
        return None if self._growth is None else float(self._growth)

    @property
    def village_target_met(self) -> bool | None:
        rate = self.village_rate
        return None if rate is None else rate >= self.village_target

    @property
    def growth_target_met(self) -> bool | None:
        growth = self._growth
        return None if growth is None else growth >= Fraction(str(self.growth_target))


def _line(state: UnitState, facts: dict[str, OrgFacts]) -> UnitLine:
    known = facts.get(state.org_name or "") if state.has_org else None
    if known is not None:
        return UnitLine(state, known.on_books, known.secretary, known.archive_id)
    return UnitLine(state, state.members_typed, None, None)


def coverage(ctx: Context, period: Period, as_of: date | None = None) -> Coverage:
    """The period's coverage as of its end (or `as_of`, for a period under way)."""
    end = min(as_of or period.end, period.end)
    rules = ctx.profile.committee
    now = [s for s in units_on(ctx, end) if not s.gone]
    before = [s for s in units_on(ctx, add_months(end, -12)) if not s.gone]
    facts = facts_as_of(ctx, end)
    lines = tuple(_line(s, facts) for s in now)
    villages = [s for s in now if s.sector is Sector.VILLAGE]
    line = rules.hollow_below_members.value
    organised = [x for x in lines if x.state.has_org]
    events = ctx.session.execute(
        select(UnitEvent.unit_id, UnitEvent.change, UnitEvent.on).where(
            UnitEvent.on >= period.start, UnitEvent.on <= end
        )
    ).all()
    names = {s.id: s.name for s in units_on(ctx, end)}
    sectors = sorted({s.sector for s in now}, key=list(Sector).index)
    return Coverage(
        period=period,
        villages=len(villages),
        villages_with_org=sum(1 for s in villages if s.has_org),
        villages_without=tuple(s.name for s in villages if not s.has_org),
        village_target=rules.village_coverage_target.value,
        new_fields_now=sum(1 for s in now if s.sector.is_new_field and s.has_org),
        new_fields_year_before=sum(1 for s in before if s.sector.is_new_field and s.has_org),
        growth_target=rules.new_fields_growth_target.value,
        hollow=tuple(
            (x.state.name, x.members)
            for x in organised
            if x.members is not None and x.members < line
        ),
        hollow_below=line,
        no_secretary=tuple(x.state.name for x in organised if x.archive_id and not x.secretary),
        set_up=tuple(
            (names[u], on) for u, change, on in events if change == UnitChange.SET_UP.value
        ),
        dissolved=tuple(
            (names[u], on) for u, change, on in events if change == UnitChange.DISSOLVED.value
        ),
        by_sector=tuple(
            (
                sector,
                sum(1 for s in now if s.sector is sector),
                sum(1 for s in now if s.sector is sector and s.has_org),
            )
            for sector in sectors
        ),
        lines=lines,
    )
