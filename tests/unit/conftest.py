"""Fixtures the unit tests of one domain share with another's."""

from __future__ import annotations

from datetime import date

import pytest

from qzdesk.services.clock import FixedClock, running_on
from tests.desks import desk_of


@pytest.fixture
def village(tmp_path, profiles):
    """A village 团支部 with no 团费 on record yet (the school demo has two years of it)."""
    from qzdesk.services.demo.village import build_branch_demo
    from qzdesk.services.storage.store import Store

    with (
        running_on(FixedClock.on(date(2026, 1, 5))),
        Store.open(tmp_path / "data", "tests", create=True) as opened,
    ):
        build_branch_demo(desk_of(opened, profiles), date(2026, 1, 5), "东关村团支部")
    with Store.open(tmp_path / "data", "tests") as opened:
        yield opened
