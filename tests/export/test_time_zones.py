"""One calendar for the product: an archive built at 07:30 on 4 December Beijing time is
of 4 December whatever time zone the PC is set to (23:30 on the 3rd in UTC, 15:30 on the
3rd in California, 11:30 on the 3rd at UTC−12, 13:30 on the 4th at UTC+14), and its
content is the same byte for byte."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from qzdesk.services.archive.data import archive_data
from qzdesk.services.archive.take import take_snapshot
from qzdesk.services.periods import parse_period
from tests.desks import desk_at

AT = datetime(2026, 12, 3, 23, 30, tzinfo=UTC)


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_archive_is_the_same_in_every_time_zone(store, profiles, monkeypatch, zone):
    built = []
    # From the last time zone to the first (Etc's signs are reversed: GMT+12 is UTC−12).
    for tz in ("UTC", "Asia/Shanghai", "America/Los_Angeles", "Etc/GMT+12", "Etc/GMT-14"):
        monkeypatch.setenv("TZ", tz)
        time.tzset()
        snap = desk_at(store, AT, profiles).read(take_snapshot, parse_period("2026Q4"))
        built.append(json.dumps(archive_data(snap, "QZ-2026Q4-0000ABCD"), ensure_ascii=False))
    assert json.loads(built[0])["period"]["as_of"] == "2026-12-04"
    assert all(text == built[0] for text in built)
