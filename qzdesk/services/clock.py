"""The one place that reads the time. A desk operation runs on the desk's clock, which
tests and the demo builder set (the demo "as of 5 January" is one argument); outside an
operation the system's clock answers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current local time, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().astimezone()


@dataclass(frozen=True)
class FixedClock:
    """A clock that stands still: at `at`, or at noon of a day."""

    at: datetime

    @classmethod
    def on(cls, day: date) -> FixedClock:
        return cls(datetime(day.year, day.month, day.day, 12).astimezone())

    def now(self) -> datetime:
        return self.at


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


def now() -> datetime:
    return _running.get().now()


def now_utc() -> datetime:
    return now().astimezone(UTC)


def today() -> date:
    return now().date()
