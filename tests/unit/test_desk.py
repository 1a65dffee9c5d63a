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
from tests.desks import desk_of

BEIJING = timezone(timedelta(hours=8))


def count_begins(store):
    begins: list[int] = []
    event.listen(store.engine, "begin", lambda _conn: begins.append(1))
    return begins


def root_id(ctx) -> int:
    return next(o.id for o in orgs.list_orgs(ctx) if o.parent_id is None)


def test_the_todo_list_is_read_in_one_transaction(store, profiles):
    begins = count_begins(store)
    desk_of(store).read(records.open_branches), desk_of(store).read(publicity.publicities)
    assert len(begins) == 2  # each operation is its own unit
    begins.clear()
    items = Desk(store, profiles, FixedClock.on(date(2026, 11, 10))).read(todo)
    assert items and len(begins) == 1


def test_a_write_is_all_or_nothing_across_services(store, profiles):
    desk = Desk(store, profiles)

    def add_two_then_fail(ctx):
        orgs.add_branch(ctx, root_id(ctx), "初一（7）班团支部", ctx.today)
        orgs.add_branch(ctx, root_id(ctx), "初一（8）班团支部", ctx.today)
        raise ValidationError("第三步出错")

    with pytest.raises(ValidationError):
        desk.write(add_two_then_fail)
    names = {o.name for o in desk_of(store).read(orgs.list_orgs)}
    assert not names & {"初一（7）班团支部", "初一（8）班团支部"}


def test_a_savepoint_undoes_only_its_own_part(store, profiles):
    def add_then_fail_in_a_savepoint(ctx):
        orgs.add_branch(ctx, root_id(ctx), "初一（7）班团支部", ctx.today)
        with pytest.raises(ValidationError, match="第二步出错"), ctx.savepoint():
            orgs.add_branch(ctx, root_id(ctx), "初一（8）班团支部", ctx.today)
            raise ValidationError("第二步出错")

    Desk(store, profiles).write(add_then_fail_in_a_savepoint)
    names = [o.name for o in desk_of(store).read(orgs.list_orgs)]
    assert "初一（7）班团支部" in names and "初一（8）班团支部" not in names


def test_a_read_leaves_the_data_as_it_was_and_refuses_a_write(store, profiles):
    """A read is rolled back; one that tries to write is a fault in the program, said at
    once rather than lost silently."""
    from qzdesk.services.storage.store import WriteInRead

    before = len(desk_of(store).read(orgs.list_orgs))
    with pytest.raises(WriteInRead):
        Desk(store, profiles).read(
            lambda ctx: orgs.add_branch(ctx, root_id(ctx), "初一（9）班团支部")
        )
    assert len(desk_of(store).read(orgs.list_orgs)) == before


def test_the_desk_clock_dates_what_an_operation_records(store, profiles):
    at = datetime(2026, 3, 5, 9, 30, tzinfo=BEIJING)
    desk = Desk(store, profiles, FixedClock(at))
    branch = desk.write(orgs.add_branch, desk.read(root_id), "初一（7）班团支部").value
    assert branch.created_on == date(2026, 3, 5)  # no date given: the desk's today
    entry = desk_of(store).read(audit.recent, 1)[0]
    assert entry.at.replace(tzinfo=entry.at.tzinfo or UTC) == at


def test_each_desk_acts_as_its_own_actor(store, profiles):
    signed_in, anonymous = Desk(store, profiles), Desk(store, profiles)
    assert signed_in.sign_in("qzdemo").ok and signed_in.actor == "李文静"
    root = anonymous.read(root_id)
    anonymous.write(orgs.add_branch, root, "初一（7）班团支部")
    signed_in.write(orgs.add_branch, root, "初一（8）班团支部")
    assert [e.actor for e in desk_of(store).read(audit.recent, 2)] == ["李文静", "系统"]
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
