"""The organisation register (名录): every unit in the committee's area that should have a
League organisation (villages and communities, schools, enterprises, social organisations,
the new employment groups' stations), each with dated changes (listed, its organisation set
up, reorganised, dissolved, the unit gone) and the 四有 checks. A unit's state on any day
is read from the changes up to that day, so any period's figures can be computed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from qzdesk.models import Unit, UnitCheck, UnitEvent
from qzdesk.services import audit
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.lookup import get_row
from qzdesk.services.periods import instant_text
from qzdesk.vocabulary import FourHas, OrgForm, Sector, UnitChange

CHANGED = frozenset({Topic.RECEIVING, Topic.AUDIT})
ENTITY = "unit"


@dataclass(frozen=True)
class UnitState:
    """A unit as of a day. `has_org` only where its organisation stands that day."""

    id: int
    name: str
    township: str
    sector: Sector
    listed_on: date
    gone: bool
    has_org: bool
    org_name: str | None
    form: OrgForm | None
    set_up_on: date | None
    youth_count: int | None
    members_typed: int | None
    four_has: dict[FourHas, bool] = field(default_factory=dict)  # the latest check of each

    @property
    def four_has_text(self) -> str:
        if not self.four_has:
            return "未检查"
        return "、".join(
            f"{item.label}{'✓' if met else '✗'}" for item, met in self.four_has.items()
        )


# ---- recording -------------------------------------------------------------------


def add_units(
    ctx: Context,
    names: list[str],
    sector: Sector,
    listed_on: date,
    township: str = "",
    youth_count: int | None = None,
    members_count: int | None = None,
) -> Outcome[list[int]]:
    """Units listed from a day (a township's 行政村 list pasted a name a line). A name
    already in the register is refused, saying which."""
    wanted = [n.strip() for n in names if n.strip()]
    if not wanted:
        raise ValidationError("请至少填写一个单位名称。", "names")
    if listed_on > ctx.today:
        raise ValidationError("列入名录的日期不能晚于今天。", "on")
    repeated = sorted({n for n in wanted if wanted.count(n) > 1})
    known = set(ctx.session.scalars(select(Unit.name).where(Unit.name.in_(wanted))))
    if repeated or known:
        raise ValidationError(
            f"以下单位已在名录中或重复填写：{'、'.join(sorted(known | set(repeated)))}。", "names"
        )
    made = []
    for name in wanted:
        unit = Unit(
            name=name,
            township=township.strip() or None,
            sector=sector.value,
            youth_count=youth_count,
            members_count=members_count,
            recorded_by=ctx.actor,
            recorded_at=instant_text(ctx.now),
        )
        ctx.session.add(unit)
        ctx.session.flush()
        _event(ctx, unit, UnitChange.LISTED, listed_on)
        made.append(unit.id)
    return Outcome(made, CHANGED)


def record_change(
    ctx: Context,
    unit_id: int,
    change: UnitChange,
    on: date,
    form: OrgForm | None = None,
    org_name: str = "",
    note: str = "",
) -> Outcome[int]:
    """A dated change; it must make sense against the unit's state that day and after."""
    unit = get_row(ctx.session, Unit, unit_id, f"找不到编号为 {unit_id} 的单位。")
    if on > ctx.today:
        raise ValidationError("日期不能晚于今天。", "on")
    if change is UnitChange.LISTED:
        raise ValidationError("列入名录在新增单位时登记。", "change")
    events = _events(ctx, [unit_id]).get(unit_id, [])
    if on < events[0].on:
        raise ValidationError(f"{unit.name} 于 {events[0].on:%Y-%m-%d} 才列入名录。", "on")
    if any(e.on > on for e in events):
        raise ValidationError(
            f"{unit.name} 在 {max(e.on for e in events):%Y-%m-%d} 已有变动记录：请按时间顺序登记。",
            "on",
        )
    state = _state(unit, events, {})
    if state.gone:
        raise ValidationError(f"{unit.name} 已撤并或注销。", "change")
    if change in (UnitChange.SET_UP, UnitChange.REORGANISED):
        if change is UnitChange.SET_UP and state.has_org:
            raise ValidationError(f"{unit.name} 已建有团组织：调整请登记“调整组建方式”。", "change")
        if change is UnitChange.REORGANISED and not state.has_org:
            raise ValidationError(f"{unit.name} 还没有团组织。", "change")
        if form is None or not org_name.strip():
            raise ValidationError("请填写组建方式和团组织名称（与其台账上的名称一致）。", "org")
    if change is UnitChange.DISSOLVED and not state.has_org:
        raise ValidationError(f"{unit.name} 没有可撤销的团组织。", "change")
    if change in (UnitChange.DISSOLVED, UnitChange.GONE) and not note.strip():
        raise ValidationError("请写明撤销或撤并的原因（如并入某村）。", "note")
    return Outcome(_event(ctx, unit, change, on, form, org_name.strip() or None, note), CHANGED)


def check_four_has(
    ctx: Context, unit_id: int, on: date, results: dict[FourHas, bool], note: str = ""
) -> Outcome[None]:
    """四有 found on a day (each item checked gets its row)."""
    unit = get_row(ctx.session, Unit, unit_id, f"找不到编号为 {unit_id} 的单位。")
    if on > ctx.today:
        raise ValidationError("检查日期不能晚于今天。", "on")
    if not results:
        raise ValidationError("请至少勾选一项检查结果。", "items")
    for item, met in results.items():
        ctx.session.add(
            UnitCheck(
                unit_id=unit.id,
                item=item.value,
                on=on,
                met=met,
                note=note.strip() or None,
                recorded_by=ctx.actor,
                recorded_at=instant_text(ctx.now),
            )
        )
    audit.record(
        ctx.session,
        ctx.actor,
        ENTITY,
        unit.id,
        "four_has",
        after={"on": on.isoformat(), **{i.value: m for i, m in results.items()}},
    )
    return Outcome(None, CHANGED)


def _event(
    ctx: Context,
    unit: Unit,
    change: UnitChange,
    on: date,
    form: OrgForm | None = None,
    org_name: str | None = None,
    note: str = "",
) -> int:
    row = UnitEvent(
        unit_id=unit.id,
        on=on,
        change=change.value,
        form=form.value if form else None,
        org_name=org_name,
        note=note.strip() or None,
        recorded_by=ctx.actor,
        recorded_at=instant_text(ctx.now),
    )
    ctx.session.add(row)
    ctx.session.flush()
    audit.record(
        ctx.session,
        ctx.actor,
        ENTITY,
        unit.id,
        change.value,
        after={"name": unit.name, "on": on.isoformat(), "org": org_name},
    )
    return row.id


# ---- reading ---------------------------------------------------------------------


def _events(ctx: Context, unit_ids: list[int] | None = None) -> dict[int, list[UnitEvent]]:
    query = select(UnitEvent).order_by(UnitEvent.on, UnitEvent.id)
    if unit_ids is not None:
        query = query.where(UnitEvent.unit_id.in_(unit_ids))
    found: dict[int, list[UnitEvent]] = defaultdict(list)
    for row in ctx.session.scalars(query):
        found[row.unit_id].append(row)
    return found


def _state(unit: Unit, events: list[UnitEvent], checks: dict[FourHas, bool]) -> UnitState:
    listed_on = events[0].on
    has_org, gone = False, False
    org_name: str | None = None
    form: OrgForm | None = None
    set_up_on: date | None = None
    for event in events:
        change = UnitChange(event.change)
        if change in (UnitChange.SET_UP, UnitChange.REORGANISED):
            has_org, org_name = True, event.org_name
            form = OrgForm(event.form) if event.form else None
            set_up_on = event.on if change is UnitChange.SET_UP else set_up_on
        elif change is UnitChange.DISSOLVED:
            has_org = False
        elif change is UnitChange.GONE:
            gone, has_org = True, False
    return UnitState(
        unit.id,
        unit.name,
        unit.township or "",
        Sector(unit.sector),
        listed_on,
        gone,
        has_org,
        org_name,
        form,
        set_up_on,
        unit.youth_count,
        unit.members_count,
        checks,
    )


def units_on(ctx: Context, day: date) -> list[UnitState]:
    """Every unit listed by the end of `day`, as it stood that day (gone ones included,
    marked), by township and name."""
    events = _events(ctx)
    checks: dict[int, dict[FourHas, bool]] = defaultdict(dict)
    for row in ctx.session.scalars(
        select(UnitCheck).where(UnitCheck.on <= day).order_by(UnitCheck.on, UnitCheck.id)
    ):
        checks[row.unit_id][FourHas(row.item)] = row.met
    found = []
    for unit in ctx.session.scalars(select(Unit).order_by(Unit.township, Unit.name)):
        until = [e for e in events.get(unit.id, []) if e.on <= day]
        if until:
            found.append(_state(unit, until, checks.get(unit.id, {})))
    return found


def history(ctx: Context, unit_id: int) -> list[tuple[date, str, str]]:
    """A unit's changes, oldest first: the day, what, and the details."""
    return [
        (
            e.on,
            UnitChange(e.change).label,
            "；".join(
                p
                for p in (
                    OrgForm(e.form).label if e.form else "",
                    e.org_name or "",
                    e.note or "",
                )
                if p
            ),
        )
        for e in _events(ctx, [unit_id]).get(unit_id, [])
    ]
