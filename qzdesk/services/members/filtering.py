"""Which roster rows a search and the filters keep: plain Python over plain rows, so it is
the same for the screen, the export of the filtered roster and the benchmark."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from qzdesk.services.members.records import MemberRow
from qzdesk.services.members.search import (
    initials_of,
    normalise_query,
    pinyin_pattern,
    syllables_of,
)
from qzdesk.services.members.validation import age_on
from qzdesk.vocabulary import MemberStatus, PoliticalStatus

# (label, lowest age, highest age exclusive)
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("14–17 岁", 14, 18),
    ("18–21 岁", 18, 22),
    ("22–24 岁", 22, 25),
    ("25–27 岁", 25, 28),
    ("28 岁及以上", 28, 200),
)


@dataclass(frozen=True)
class RosterQuery:
    text: str = ""
    branch_id: int | None = None
    status: MemberStatus | None = MemberStatus.ACTIVE
    political: PoliticalStatus | None = None
    age_band: int | None = None
    turning_age_out: bool = False
    among: frozenset[int] | None = None  # member ids another view chose (the 团→党 ladder)


class RosterIndex:
    """Per-row values computed once when the roster loads, so a keystroke costs what it
    finds, not the roster's length: every row's syllables are one text a mixed pinyin
    query scans in C (a hit's row found by bisection), and a query that extends the last
    one only looks again at the rows the last one found ("zhan" after "zha" narrows)."""

    def __init__(self, rows: Sequence[MemberRow], today: date, age_out: int) -> None:
        self.rows = rows
        self.today = today
        self.age_out = age_out
        self.blobs = [f"{r.search_key} {r.id_number.lower()} {r.member_no or ''}" for r in rows]
        # Each row's syllables in one text too: a mixed pinyin query is one regex scan.
        self.syllables = [syllables_of(r.search_key) for r in rows]
        self.initials = [initials_of(r.search_key) for r in rows]
        self.syllable_text, self.syllable_starts = _joined(self.syllables)
        self.ages = [age_on(r.birth_date, today) for r in rows]
        self._last: tuple[str, list[int]] = ("", [])

    def _pinyin_rows(self, needle: str) -> set[int]:
        """Rows whose name a mix of syllables and initials stands for ("niujm")."""
        pattern = pinyin_pattern(needle)
        if pattern is None:
            return set()
        starts = self.syllable_starts
        return {bisect_right(starts, m.start()) - 1 for m in pattern.finditer(self.syllable_text)}

    def matching(self, needle: str) -> list[int]:
        """Rows the typed text finds, in roster order. A query that extends the last one
        checks only the rows the last one found, the pattern only where the text itself
        is not there; a new one scans every row's text and the syllables' one text."""
        last, found = self._last
        blobs, pattern = self.blobs, pinyin_pattern(needle)
        if last and needle.startswith(last):
            syllables, initials, first = self.syllables, self.initials, needle[0]
            # A mixed pinyin match starts a syllable with the query's first letter: the
            # names' initials rule most rows out before the pattern is tried.
            kept = [
                i
                for i in found
                if needle in blobs[i]
                or (
                    pattern is not None
                    and first in initials[i]
                    and pattern.search(syllables[i]) is not None
                )
            ]
        else:
            mixed = self._pinyin_rows(needle)
            kept = [i for i, blob in enumerate(blobs) if needle in blob or i in mixed]
        self._last = (needle, kept)
        return kept

    def turning_age_out(self, i: int) -> bool:
        return self.today.year - self.rows[i].birth_date.year == self.age_out

    def select(self, query: RosterQuery) -> list[int]:
        """Indexes of the rows the query keeps, in roster order."""
        needle = normalise_query(query.text)
        rows, ages = self.rows, self.ages
        keep: Sequence[int] = range(len(rows))
        if needle:
            keep = self.matching(needle)
        if query.branch_id is not None:
            keep = [i for i in keep if rows[i].branch_id == query.branch_id]
        if query.status is not None:
            keep = [i for i in keep if rows[i].status is query.status]
        if query.political is not None:
            keep = [i for i in keep if rows[i].political_status is query.political]
        if query.age_band is not None:
            _label, low, high = AGE_BANDS[query.age_band]
            keep = [i for i in keep if low <= ages[i] < high]
        if query.turning_age_out:
            keep = [i for i in keep if self.turning_age_out(i)]
        if query.among is not None:
            among = query.among
            keep = [i for i in keep if rows[i].id in among]
        return list(keep)


def _joined(parts: list[str]) -> tuple[str, list[int]]:
    """The parts in one text, a newline between (no query holds one), and where each
    part starts."""
    return "\n".join(parts), list(accumulate((len(p) + 1 for p in parts[:-1]), initial=0))
