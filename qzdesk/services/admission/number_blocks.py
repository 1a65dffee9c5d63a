"""Blocks of 发展团员编号 handed down from above: entered by the secretary, used in order."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from qzdesk.models import Member, MemberNoBlock
from qzdesk.services import audit
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError


@dataclass(frozen=True)
class BlockRow:
    id: int
    year: int
    first: str
    last: str
    used: int

    @property
    def size(self) -> int:
        return int(self.last) - int(self.first) + 1


def _check_number(number: str, year: int, what: str) -> str:
    number = number.strip()
    if len(number) != 12 or not number.isdigit():
        raise ValidationError(f"{what}应为 12 位数字（现为“{number}”）。", "member_no")
    if number[:4] != str(year):
        raise ValidationError(f"{what} {number} 的前四位应为入团年份 {year}。", "member_no")
    return number


def _used(session: Session, first: str, last: str) -> set[str]:
    return set(
        session.scalars(
            select(Member.member_no).where(
                Member.member_no >= first, Member.member_no <= last, Member.voided.is_(False)
            )
        )
    )


def add_block(ctx: Context, year: int, first: str, last: str) -> Outcome[BlockRow]:
    first = _check_number(first, year, "号段起始编号")
    last = _check_number(last, year, "号段结束编号")
    if int(last) < int(first):
        raise ValidationError("号段结束编号不能小于起始编号。", "member_no")
    session = ctx.session
    for block in session.scalars(select(MemberNoBlock)):
        if not (int(last) < int(block.first) or int(first) > int(block.last)):
            raise ValidationError(f"与已登记的号段 {block.first}–{block.last} 重叠。", "member_no")
    block = MemberNoBlock(year=year, first=first, last=last)
    session.add(block)
    session.flush()
    audit.record(
        session,
        ctx.actor,
        "member_no_block",
        block.id,
        "create",
        after={"first": first, "last": last},
    )
    row = BlockRow(block.id, year, first, last, len(_used(session, first, last)))
    return Outcome(row, frozenset({Topic.ADMISSION, Topic.AUDIT}))


def blocks(ctx: Context) -> list[BlockRow]:
    session = ctx.session
    return [
        BlockRow(b.id, b.year, b.first, b.last, len(_used(session, b.first, b.last)))
        for b in session.scalars(select(MemberNoBlock).order_by(MemberNoBlock.first))
    ]


def assign_number(session: Session, year: int, typed: str = "") -> str:
    """The typed number (checked), or the first free one of the year's blocks."""
    if typed:
        number = _check_number(typed, year, "团员编号")
        other = session.scalar(
            select(Member.name).where(Member.member_no == number, Member.voided.is_(False))
        )
        if other is not None:
            raise ValidationError(f"团员编号 {number} 已被“{other}”使用。", "member_no")
        return number
    for block in session.scalars(
        select(MemberNoBlock).where(MemberNoBlock.year == year).order_by(MemberNoBlock.first)
    ):
        used = _used(session, block.first, block.last)
        for value in range(int(block.first), int(block.last) + 1):
            if f"{value:012d}" not in used:
                return f"{value:012d}"
    raise ValidationError(
        f"{year} 年没有可用的团员编号：请在“发展团员 → 名额与号段”中登记上级下发的号段，"
        "或直接填写编号。",
        "member_no",
    )
