"""年终考评 of cadres: for each cadre in a year, the 团内述职 (its day and text), the Party
organisation's grade (党政评价) and the members' votes (青年参评: counts per grade),
combined by the profile's scheme (weights, points per grade and the result's bands,
marked unconfirmed until the district's own scheme is entered). A 述职 made scores full
marks, none scores nothing; a cadre without the Party's grade or any vote stays 未完成."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from qzdesk.models import Appraisal, CadreFile
from qzdesk.services import audit
from qzdesk.services.changes import Outcome
from qzdesk.services.committee.cadres import CHANGED, ENTITY, cadre_rows, set_file
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.organisation.rules import CommitteeRules
from qzdesk.services.periods import instant_text, parse_period
from qzdesk.vocabulary import UNKNOWN, Grade


@dataclass(frozen=True)
class Result:
    """One cadre's 考评 of a year, as the result list and the cadre's sheet show it."""

    id_number: str
    name: str
    org: str
    post: str
    year: int
    report_on: date | None
    report: str
    party_grade: Grade | None
    votes: dict[Grade, int]
    parts: tuple[float, float, float] | None  # 述职, 党政评价, 青年参评, before weighting
    score: float | None
    result: Grade | None  # None: 未完成

    HEADERS = ("姓名", "组织", "职务", "述职", "党政评价", "青年参评", "得分", "结果")

    def cells(self) -> list[str]:
        return [
            self.name,
            self.org,
            self.post,
            f"{self.report_on:%Y-%m-%d}" if self.report_on else "未述职",
            self.party_grade.label if self.party_grade else UNKNOWN,
            self.votes_text,
            "" if self.score is None else f"{self.score:.1f}",
            self.result_text,
        ]

    @property
    def result_text(self) -> str:
        return self.result.label if self.result else "未完成"

    @property
    def votes_text(self) -> str:
        return "、".join(f"{g.label} {self.votes.get(g, 0)}" for g in Grade)


def record(
    ctx: Context,
    id_number: str,
    name: str,
    year: int,
    report_on: date | None,
    report: str,
    party_grade: Grade | None,
    votes: dict[Grade, int],
) -> Outcome[int]:
    """A cadre's 考评 for the year (a later record replaces an earlier one)."""
    if year > ctx.today.year:
        raise ValidationError("不能登记未来年度的考评。", "year")
    if report_on is not None and report_on > ctx.today:
        raise ValidationError("述职日期不能晚于今天。", "report_on")
    if any(n < 0 for n in votes.values()):
        raise ValidationError("票数不能为负数。", "votes")
    file = ctx.session.scalar(select(CadreFile).where(CadreFile.id_number == id_number.upper()))
    cadre_id = file.id if file is not None else set_file(ctx, id_number, name).value
    row = Appraisal(
        cadre_id=cadre_id,
        year=year,
        report_on=report_on,
        report=report.strip() or None,
        party_grade=party_grade.value if party_grade else None,
        votes={g.value: int(votes.get(g, 0)) for g in Grade},
        recorded_by=ctx.actor,
        recorded_at=instant_text(ctx.now),
    )
    ctx.session.add(row)
    ctx.session.flush()
    audit.record(ctx.session, ctx.actor, ENTITY, cadre_id, "appraisal", after={"year": year})
    return Outcome(row.id, CHANGED)


def score(
    rules: CommitteeRules, made_report: bool, party: Grade | None, votes: dict[Grade, int]
) -> tuple[tuple[float, float, float] | None, float | None, Grade | None]:
    """The parts, the weighted score and the result by the profile's scheme."""
    cast = sum(votes.values())
    if party is None or not cast:
        return None, None, None
    points = dict(zip(Grade, rules.grade_points.value, strict=True))
    parts = (
        100.0 if made_report else 0.0,
        points[party],
        sum(points[g] * n for g, n in votes.items()) / cast,
    )
    total = round(sum(w * p for w, p in zip(rules.appraisal_weights.value, parts, strict=True)), 1)
    bands = zip(
        (Grade.EXCELLENT, Grade.COMPETENT, Grade.BASIC), rules.result_bands.value, strict=True
    )
    result = next((grade for grade, least in bands if total >= least), Grade.INCOMPETENT)
    return parts, total, result


def results(ctx: Context, year: int) -> list[Result]:
    """Every cadre of the year (as the archives name them at its end) and anyone with a
    考评 recorded for it, each with the latest record."""
    rules = ctx.profile.committee
    files = {f.id: f for f in ctx.session.scalars(select(CadreFile))}
    latest: dict[int, Appraisal] = {}
    for row in ctx.session.scalars(
        select(Appraisal).where(Appraisal.year == year).order_by(Appraisal.id)
    ):
        latest[row.cadre_id] = row
    by_number = {f.id_number: f.id for f in files.values()}
    found: dict[str, Result] = {}
    for line in cadre_rows(ctx, parse_period(str(year))):
        cadre = line.cadre
        if not cadre.id_number or cadre.id_number in found:
            continue
        found[cadre.id_number] = _result(
            rules,
            cadre.id_number,
            cadre.name,
            cadre.org_name,
            cadre.post,
            year,
            latest.get(by_number.get(cadre.id_number, -1)),
        )
    # Appraised but not named at the year's end (an archive not yet received for it):
    # where they are now, as the latest archives say.
    missing = [cadre_id for cadre_id in latest if files[cadre_id].id_number not in found]
    now = (
        {r.cadre.id_number: r.cadre for r in cadre_rows(ctx, parse_period(str(ctx.today.year)))}
        if missing
        else {}
    )
    for cadre_id in missing:
        file = files[cadre_id]
        seen = now.get(file.id_number)
        found[file.id_number] = _result(
            rules,
            file.id_number,
            file.name,
            seen.org_name if seen else UNKNOWN,
            seen.post if seen else UNKNOWN,
            year,
            latest[cadre_id],
        )
    return sorted(found.values(), key=lambda r: (r.org, r.post != "书记", r.name))


def _result(
    rules: CommitteeRules,
    id_number: str,
    name: str,
    org: str,
    post: str,
    year: int,
    row: Appraisal | None,
) -> Result:
    party = Grade(row.party_grade) if row and row.party_grade else None
    votes = {Grade(g): n for g, n in (row.votes if row else {}).items()}
    parts, total, result = score(rules, bool(row and row.report_on), party, votes)
    return Result(
        id_number,
        name,
        org,
        post,
        year,
        row.report_on if row else None,
        (row.report or "") if row else "",
        party,
        votes,
        parts,
        total,
        result,
    )
