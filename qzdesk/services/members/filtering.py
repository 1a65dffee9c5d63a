"""Which roster rows a search and the filters keep: plain Python over plain rows, so it is
the same for the screen, the export of the filtered roster and the benchmark."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from qzdesk.services.members.records import MemberRow
from qzdesk.services.members.search import normalise_query, pinyin_pattern, syllables_of
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


class RosterIndex:
    """Per-row values computed once when the roster loads, so each keystroke only compares."""

    def __init__(self, rows: Sequence[MemberRow], today: date, age_out: int) -> None:
        self.rows = rows
        self.today = today
        self.age_out = age_out
        self.blobs = [f"{r.search_key} {r.id_number.lower()} {r.member_no or ''}" for r in rows]
        # Every row's syllables in one text, so a mixed pinyin query is one regex scan in C
        # rather than a match call per row on each keystroke.
        syllables = [syllables_of(r.search_key) for r in rows]
        self.syllable_text = "\n".join(syllables)
        self.syllable_starts = list(accumulate((len(s) + 1 for s in syllables[:-1]), initial=0))
        self.ages = [age_on(r.birth_date, today) for r in rows]

    def _pinyin_rows(self, needle: str) -> set[int]:
        """Rows whose name a mix of syllables and initials stands for ("niujm")."""
        pattern = pinyin_pattern(needle)
        if pattern is None:
            return set()
        starts = self.syllable_starts
        return {bisect_right(starts, m.start()) - 1 for m in pattern.finditer(self.syllable_text)}

    def turning_age_out(self, i: int) -> bool:
        return self.today.year - self.rows[i].birth_date.year == self.age_out

    def select(self, query: RosterQuery) -> list[int]:
        """Indexes of the rows the query keeps, in roster order."""
        needle = normalise_query(query.text)
        rows, ages = self.rows, self.ages
        keep = range(len(rows))
        if needle:
            blobs, mixed = self.blobs, self._pinyin_rows(needle)
            keep = [i for i in keep if needle in blobs[i] or i in mixed]
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
        return list(keep)
