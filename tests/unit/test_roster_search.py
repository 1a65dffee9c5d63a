"""The roster's search index finds exactly what a scan of every row finds: for random
rosters and random typing (letters, characters, digits; extending, deleting, starting
again), each keystroke's rows equal those of the plain check of each row."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from qzdesk.services.members import records
from qzdesk.services.members.filtering import RosterIndex, RosterQuery
from qzdesk.services.members.search import name_key, normalise_query, pinyin_pattern, syllables_of
from qzdesk.vocabulary import MemberStatus, PoliticalStatus
from tests.desks import desk_of

SURNAMES = "张王李赵刘陈杨黄周吴牛马朱胡"
GIVEN = "三丰俊明伟芳娜静敏强磊军洋勇艳杰娟涛超"


def scanned(index: RosterIndex, text: str) -> list[int]:
    """The plain check, row by row: the text in the row's search text, or the name's
    syllables matching the mixed-pinyin pattern."""
    needle = normalise_query(text)
    pattern = pinyin_pattern(needle)
    return [
        i
        for i, (blob, row) in enumerate(zip(index.blobs, index.rows, strict=True))
        if needle in blob or (pattern is not None and pattern.search(syllables_of(row.search_key)))
    ]


BORN = date(2005, 3, 1)


def roster_of(seed: int, size: int) -> list[records.MemberRow]:
    chance = random.Random(seed)
    rows = []
    for n in range(size):
        name = chance.choice(SURNAMES) + "".join(chance.choices(GIVEN, k=chance.randint(1, 2)))
        rows.append(
            records.MemberRow(
                id=n + 1,
                branch_id=1,
                branch_name="某团支部",
                name=name,
                gender="男",
                id_number=f"{chance.randrange(10**17):017d}{chance.choice('0123456789X')}",
                birth_date=BORN,
                joined_on=None,
                joined_year=None,
                member_no=f"{chance.randrange(10**11):012d}" if n % 3 else None,
                political_status=PoliticalStatus.LEAGUE,
                status=MemberStatus.ACTIVE,
                league_post=None,
                mobile=None,
                occupation=None,
                work_unit=None,
                search_key=name_key(name),
            )
        )
    return rows


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    size=st.integers(0, 120),
    typed=st.lists(
        st.one_of(
            st.sampled_from("zhangsanfenliujmxwy"),
            st.sampled_from(SURNAMES + GIVEN),
            st.sampled_from("0123456789x"),
            st.just("⌫"),  # a deletion
        ),
        max_size=10,
    ),
)
def test_each_keystroke_finds_what_a_scan_finds(seed, size, typed):
    index = RosterIndex(roster_of(seed, size), date(2026, 6, 1), 28)
    text = ""
    for key in typed:
        text = text[:-1] if key == "⌫" else text + key
        if not normalise_query(text):
            continue
        assert index.select(RosterQuery(text=text)) == scanned(index, text), text


def test_the_demo_roster_typed_one_key_at_a_time(store):
    rows = desk_of(store).read(records.roster)
    index = RosterIndex(rows, date(2026, 6, 1), 28)
    for typed in ("n", "ni", "niu", "niuj", "niujm", "niuj", "nj", "njm", rows[5].name[:1]):
        assert index.select(RosterQuery(text=typed, status=None)) == scanned(index, typed)
    number = rows[7].id_number[3:9]
    assert index.select(RosterQuery(text=number, status=None)) == scanned(index, number)
