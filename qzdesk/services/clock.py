"""The one place that reads the time. A desk operation runs on the desk's clock, which
tests and the demo builder set (the demo "as of 5 January" is one argument); outside an
operation the system's clock answers. Every clock tells Beijing time: the League's days
are Beijing days whatever time zone the PC is set to, so `today()` is one calendar for
the whole product (China has had no daylight saving since 1991)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current Beijing time, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(BEIJING)


@dataclass(frozen=True)
class FixedClock:
    """A clock that stands still: at `at`, or at noon (Beijing) of a day."""

    at: datetime

    @classmethod
    def on(cls, day: date) -> FixedClock:
        return cls(datetime(day.year, day.month, day.day, 12, tzinfo=BEIJING))

    def now(self) -> datetime:
        return self.at.astimezone(BEIJING)


SYSTEM = SystemClock()
_running: ContextVar[Clock] = ContextVar("qzdesk_clock", default=SYSTEM)


@contextmanager
def running_on(clock: Clock) -> Iterator[None]:
    """Everything called inside reads `clock` (used by the desk for each operation)."""
    token = _running.set(clock)
    try:
        yield
    finally:
        _running.reset(token)


def current() -> Clock:
    return _running.get()


def now() -> datetime:
    return _running.get().now()


def now_utc() -> datetime:
    return now().astimezone(UTC)


def today() -> date:
    return now().date()
