"""Plausible people for the demo: names, valid resident IDs of 秦州区, dates that fit."""

from __future__ import annotations

import random
from datetime import date, timedelta

from qzdesk.services.context import Context
from qzdesk.services.members import records
from qzdesk.services.members.idcard import check_char
from qzdesk.services.members.validation import MemberDraft, check_member
from qzdesk.vocabulary import PoliticalStatus

QINZHOU_AREA_CODE = "620502"
SURNAMES = "王李张刘陈杨赵马何郭罗魏汪牛丁董蒲雷苟石朱胡高孙周吴徐田任姚潘冯"
GIVEN = (
    "子涵浩然欣怡梓轩雨桐佳琪宇航思远雅婷文博嘉怡俊杰晓雪"
    "明轩梦瑶天佑诗琪一诺若曦志强春燕海龙丽娟建军秀英"
)
HOUSEHOLDS = (
    "甘肃省天水市秦州区玉泉镇",
    "甘肃省天水市秦州区太京镇",
    "甘肃省天水市秦州区中梁镇",
    "甘肃省天水市秦州区大城街道",
    "甘肃省天水市秦州区七里墩街道",
)


def enrol(
    ctx: Context, people: list[tuple[MemberDraft, int]], today: date
) -> tuple[list[int], list[MemberDraft]]:
    """The demo's members (each with its branch) checked by the profile in force and added
    in one go; their ids and their drafts as checked."""
    checked = []
    for draft, branch_id in people:
        result = check_member(draft, ctx.profile, today)
        if result.errors:
            raise AssertionError(f"demo member invalid: {[p.text for p in result.errors]}")
        checked.append((result.draft, branch_id))
    ids = records.insert_many(ctx.session, ctx.actor, checked, "added", today)
    return ids, [draft for draft, _ in checked]


def stream(base: int, seed: int) -> int:
    """A people maker's seed within a demo built with `seed`: seed 1 keeps the people the
    demo has always had; another demo gets people (and ID numbers) of its own."""
    return base if seed == 1 else base + 7919 * seed


class PeopleMaker:
    """Deterministic for a seed, so the demo and the fixtures are reproducible."""

    def __init__(self, seed: int = 2024) -> None:
        self.random = random.Random(seed)
        # A stream of its own, so adding 民族 left every other demo value as it was.
        self.ethnic_random = random.Random(seed + 1)
        self.used: set[str] = set()
        self.numbers: dict[int, int] = {}

    def name(self) -> str:
        r = self.random
        given = "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2, 2))))
        return r.choice(SURNAMES) + given

    def ethnicity(self) -> str:
        """秦州区 is mostly 汉族 with a 回族 minority; a demo records it, as a roster does."""
        return "回族" if self.ethnic_random.random() < 0.08 else "汉族"

    def id_number(self, born: date, male: bool) -> str:
        order = self.random.randrange(500) * 2 + (1 if male else 2)
        while True:
            first17 = f"{QINZHOU_AREA_CODE}{born:%Y%m%d}{order % 1000:03d}"
            number = first17 + check_char(first17)
            if number not in self.used:
                self.used.add(number)
                return number
            order += 2

    def member_no(self, joined: date) -> str:
        self.numbers[joined.year] = self.numbers.get(joined.year, 0) + 1
        return f"{joined.year}62{self.numbers[joined.year]:06d}"

    def mobile(self) -> str:
        return (
            "1"
            + self.random.choice("3578")
            + "".join(self.random.choice("0123456789") for _ in range(9))
        )

    def student(
        self, today: date, age: int, grade: str, class_name: str, school: str
    ) -> MemberDraft:
        """A pupil of `age` (at least a month past turning 14) who joined after turning 14."""
        r = self.random
        born = _years_before(today, age) - timedelta(days=r.randrange(30, 360))
        turned14 = _years_after(born, 14)
        first_month = (turned14.replace(day=28) + timedelta(days=4)).replace(day=1)
        span = max((today - first_month).days, 0)
        joined = (first_month + timedelta(days=r.randrange(span + 1))).replace(day=1)
        male = r.random() < 0.5
        return MemberDraft(
            name=self.name(),
            id_number=self.id_number(born, male),
            household=r.choice(HOUSEHOLDS),
            ethnicity=self.ethnicity(),
            joined_on=joined,
            joined_unit=school,
            member_no=self.member_no(joined),
            education_fulltime="初中在读",
            education_highest="初中在读",
            occupation="学生",
            work_unit=school,
            grade=grade,
            class_name=class_name,
            dues_tier="学生 0.2 元/月",
        )

    def teacher(self, today: date, school: str, born_year: int) -> MemberDraft:
        r = self.random
        born = date(born_year, 1, 1) + timedelta(days=r.randrange(365))
        joined = (_years_after(born, 14) + timedelta(days=r.randrange(60, 700))).replace(day=1)
        male = r.random() < 0.4
        return MemberDraft(
            name=self.name(),
            id_number=self.id_number(born, male),
            household=r.choice(HOUSEHOLDS),
            ethnicity=self.ethnicity(),
            joined_on=joined,
            joined_unit="天水市第一中学",
            member_no=self.member_no(joined) if joined.year >= 2017 else "",
            education_fulltime="大学本科",
            education_highest="大学本科",
            occupation="教职工",
            work_unit=school,
            mobile=self.mobile(),
            dues_tier="工资收入 2000 元以上",
            political_status=PoliticalStatus.LEAGUE,
        )

    def villager(
        self,
        today: date,
        age: int,
        village: str,
        occupations: tuple[str, ...] = ("务农", "外出务工", "个体经营", "村“两委”工作人员"),
    ) -> MemberDraft:
        """A young person of `age` in a village (or a community or a company: its own
        `occupations`) who joined at school, as most such members did."""
        r = self.random
        born = _years_before(today, age) - timedelta(days=r.randrange(30, 360))
        joined = (_years_after(born, 14) + timedelta(days=r.randrange(60, 900))).replace(day=1)
        male = r.random() < 0.5
        return MemberDraft(
            name=self.name(),
            id_number=self.id_number(born, male),
            household=village,
            ethnicity=self.ethnicity(),
            joined_on=joined,
            joined_unit="秦州区某中学",
            member_no=self.member_no(joined) if joined.year >= 2017 else "",
            education_highest=r.choice(("高中", "中专", "大学专科", "大学本科")),
            occupation=r.choice(occupations),
            work_unit=village,
            mobile=self.mobile(),
            dues_tier="其他 0.2 元/月",
            political_status=PoliticalStatus.LEAGUE,
        )


def _years_after(day: date, years: int) -> date:
    return date(day.year + years, day.month, min(day.day, 28))


def _years_before(day: date, years: int) -> date:
    return date(day.year - years, day.month, min(day.day, 28))
