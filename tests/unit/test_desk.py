"""The desk: one unit of work per operation, its clock, and who acts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select

from qzdesk.models import Org
from qzdesk.services import audit
from qzdesk.services.admission import publicity
from qzdesk.services.clock import FixedClock
from qzdesk.services.desk import Desk
from qzdesk.services.errors import ValidationError
from qzdesk.services.members import records
from qzdesk.services.organisation import orgs
from qzdesk.services.todo import todo

BEIJING = timezone(timedelta(hours=8))


def count_begins(store):
    begins: list[int] = []
    event.listen(store.engine, "begin", lambda _conn: begins.append(1))
    return begins


def root_id(store) -> int:
    return next(o.id for o in orgs.list_orgs(store) if o.parent_id is None)


def test_the_todo_list_is_read_in_one_transaction(store, profiles):
    begins = count_begins(store)
    records.open_branches(store), publicity.publicities(store)
    assert len(begins) == 2  # each service alone opens its own
    begins.clear()
    items = Desk(store, profiles, FixedClock.on(date(2026, 11, 10))).read(todo)
    assert items and len(begins) == 1


def test_a_write_is_all_or_nothing_across_services(store, profiles):
    desk = Desk(store, profiles)

    def add_two_then_fail(ctx):
        orgs.add_branch(ctx.store, root_id(ctx.store), "初一（7）班团支部", ctx.today)
        orgs.add_branch(ctx.store, root_id(ctx.store), "初一（8）班团支部", ctx.today)
        raise ValidationError("第三步出错")

    with pytest.raises(ValidationError):
        desk.write(add_two_then_fail)
    names = {o.name for o in orgs.list_orgs(store)}
    assert not names & {"初一（7）班团支部", "初一（8）班团支部"}


def test_an_error_caught_inside_an_operation_undoes_only_its_own_part(store, profiles):
    desk = Desk(store, profiles)

    def add_then_try_a_duplicate(ctx):
        orgs.add_branch(ctx.store, root_id(ctx.store), "初一（7）班团支部", ctx.today)
        with pytest.raises(ValidationError, match="已有一个名为"):
            orgs.add_branch(ctx.store, root_id(ctx.store), "初一（7）班团支部", ctx.today)

    desk.write(add_then_try_a_duplicate)
    names = [o.name for o in orgs.list_orgs(store)]
    assert names.count("初一（7）班团支部") == 1


def test_a_read_leaves_the_data_as_it_was(store, profiles):
    before = len(orgs.list_orgs(store))
    Desk(store, profiles).read(
        lambda ctx: orgs.add_branch(ctx.store, root_id(ctx.store), "初一（9）班团支部")
    )
    assert len(orgs.list_orgs(store)) == before


def test_the_desk_clock_dates_what_an_operation_records(store, profiles):
    at = datetime(2026, 3, 5, 9, 30, tzinfo=BEIJING)
    desk = Desk(store, profiles, FixedClock(at))
    branch = desk.write(
        lambda ctx: orgs.add_branch(ctx.store, root_id(ctx.store), "初一（7）班团支部").value
    )
    assert branch.created_on == date(2026, 3, 5)  # no date given: the desk's today
    entry = audit.recent(store, 1)[0]
    assert entry.at.replace(tzinfo=entry.at.tzinfo or UTC) == at


def test_each_desk_acts_as_its_own_actor(store, profiles):
    signed_in, anonymous = Desk(store, profiles), Desk(store, profiles)
    assert signed_in.sign_in("qzdemo").ok and signed_in.actor == "李文静"
    anonymous.call(orgs.add_branch, store, root_id(store), "初一（7）班团支部")
    signed_in.call(orgs.add_branch, store, root_id(store), "初一（8）班团支部")
    assert [e.actor for e in audit.recent(store, 2)] == ["李文静", "系统"]
    assert store.actor == "系统"  # outside an operation nobody acts


def test_an_operation_cannot_open_another(store, profiles):
    desk = Desk(store, profiles)
    with pytest.raises(RuntimeError):
        desk.read(lambda ctx: desk.read(lambda inner: None))
    with store.transaction() as session:  # and the store is free again afterwards
        assert session.scalar(select(Org.id).limit(1)) is not None


def test_the_day_is_beijing_s_whatever_the_pc_s_time_zone():
    """One calendar: a PC set to UTC (or New York) at 07:26 Beijing is on the same day as
    one set to Shanghai, so an archive's as_of and its rows agree."""
    import os
    import subprocess
    import sys

    probe = (
        "from qzdesk.services import clock\n"
        "now = clock.now()\n"
        "print(clock.today().isoformat(), now.utcoffset().total_seconds())\n"
    )
    seen = set()
    for zone in ("UTC", "Asia/Shanghai", "America/New_York", "Pacific/Kiritimati"):
        env = {**os.environ, "TZ": zone}
        out = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        assert out[1] == "28800.0"  # +08:00
        seen.add(out[0])
    assert len(seen) == 1 or _midnight_passed(seen)


def _midnight_passed(days: set[str]) -> bool:
    """The four probes straddled Beijing midnight: two consecutive days, no more."""
    from datetime import date

    first, last = sorted(date.fromisoformat(d) for d in days)[:: len(days) - 1]
    return len(days) == 2 and (last - first).days == 1
