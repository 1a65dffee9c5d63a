"""The 团干部信息管理库: every cadre the archives received name (as of a period's end,
matched by ID number), with what the committee keeps of them (专职/兼职/挂职, 任现职年月,
同级党组织成员, 编制, training, phone). The analysis of a period: counts by level and
post, age bands and average age, gender, 民族, 学历, 政治面貌, the 专/兼/挂 mix, years in
post, organisations with no 书记, and the watched figures against the period before: a
fall carries the committee's explanation before the committee's archive can be signed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from qzdesk.models import CadreFile, CadreTraining, FallNote, Receipt
from qzdesk.services import audit
from qzdesk.services.changes import Outcome, Topic
from qzdesk.services.context import Context
from qzdesk.services.errors import ValidationError
from qzdesk.services.organisation.orgs import counts_as_branch
from qzdesk.services.periods import Period, instant_text, parse_period
from qzdesk.services.receiving.cadres import (
    Cadre,
    cadres_of,
    sorted_cadres,
    years_band,
)
from qzdesk.services.receiving.facts import archives_as_of
from qzdesk.vocabulary import UNKNOWN, CadreNature

CHANGED = frozenset({Topic.RECEIVING, Topic.AUDIT})
ENTITY = "cadre"
# The figures whose fall against the period before must be explained before signing.
WATCHED = {
    "total": "团干部总数",
    "secretaries": "书记人数",
    "young": "青年团干部（不满规定年龄）",
    "full_time": "专职团干部",
    "trained": "本期参加培训的团干部",
}


@dataclass(frozen=True)
class CadreRow:
    """A cadre as the archives name them, with the committee's own fields."""

    cadre: Cadre
    nature: CadreNature | None
    in_post_since: date | None
    party_committee: bool | None
    establishment: str | None
    trainings: tuple[tuple[date, str], ...]  # in the period

    HEADERS = (*Cadre.HEADERS, "层级", "性质", "任现职年月", "同级党组织成员", "编制", "本期培训")

    def cells(self) -> list[object]:
        return [
            *self.cadre.cells(),
            self.cadre.level,
            self.nature.label if self.nature else UNKNOWN,
            f"{self.in_post_since:%Y-%m}" if self.in_post_since else UNKNOWN,
            {True: "是", False: "否", None: UNKNOWN}[self.party_committee],
            self.establishment or UNKNOWN,
            "、".join(name for _, name in self.trainings),
        ]


@dataclass(frozen=True)
class Fall:
    figure: str
    label: str
    before: int
    now: int
    explanation: str | None


@dataclass(frozen=True)
class Analysis:
    period: Period
    rows: tuple[CadreRow, ...]
    by_level: tuple[tuple[str, int], ...]
    by_post: tuple[tuple[str, int], ...]
    ages: tuple[tuple[str, int], ...]
    average_age: float | None
    genders: tuple[tuple[str, int], ...]
    ethnicities: tuple[tuple[str, int], ...]
    education: tuple[tuple[str, int], ...]
    political: tuple[tuple[str, int], ...]
    natures: tuple[tuple[str, int], ...]
    years: tuple[tuple[str, int], ...]
    no_secretary: tuple[str, ...]  # organisation / branch with no 书记 on record
    watched: dict[str, int]
    falls: tuple[Fall, ...]
    unmatched: int  # cadres with no ID number on their roster: outside the database

    @property
    def unexplained(self) -> tuple[Fall, ...]:
        return tuple(f for f in self.falls if not f.explanation)


# ---- recording -------------------------------------------------------------------


def set_file(
    ctx: Context,
    id_number: str,
    name: str,
    nature: CadreNature | None = None,
    in_post_since: date | None = None,
    party_committee: bool | None = None,
    establishment: str = "",
    phone: str = "",
) -> Outcome[int]:
    """The committee's own fields of a cadre (created the first time), every change in
    the audit log with what it was."""
    id_number = id_number.strip().upper()
    if len(id_number) != 18:
        raise ValidationError("请填写 18 位身份证号：团干部按身份证号与台账对应。", "id_number")
    row = ctx.session.scalar(select(CadreFile).where(CadreFile.id_number == id_number))
    before = None if row is None else _file_fields(row)
    if row is None:
        row = CadreFile(id_number=id_number, recorded_by=ctx.actor, recorded_at="")
        ctx.session.add(row)
    row.name = name.strip() or row.name
    row.nature = nature.value if nature else None
    row.in_post_since = in_post_since.replace(day=1) if in_post_since else None
    row.party_committee = party_committee
    row.establishment = establishment.strip() or None
    row.phone = phone.strip() or None
    row.recorded_by, row.recorded_at = ctx.actor, instant_text(ctx.now)
    ctx.session.flush()
    audit.record(
        ctx.session, ctx.actor, ENTITY, row.id, "file", before=before, after=_file_fields(row)
    )
    return Outcome(row.id, CHANGED)


def add_training(
    ctx: Context, id_number: str, name: str, on: date, training: str, hours: float | None = None
) -> Outcome[int]:
    """A training the cadre attended (青马工程, 团干部培训班 …)."""
    if not training.strip():
        raise ValidationError("请填写培训名称。", "training")
    if on > ctx.today:
        raise ValidationError("培训日期不能晚于今天。", "on")
    row = ctx.session.scalar(select(CadreFile).where(CadreFile.id_number == id_number.upper()))
    cadre_id = row.id if row is not None else set_file(ctx, id_number, name).value
    training_row = CadreTraining(
        cadre_id=cadre_id,
        on=on,
        name=training.strip(),
        hours=hours,
        recorded_by=ctx.actor,
        recorded_at=instant_text(ctx.now),
    )
    ctx.session.add(training_row)
    ctx.session.flush()
    audit.record(ctx.session, ctx.actor, ENTITY, cadre_id, "training", after={"name": training})
    return Outcome(training_row.id, CHANGED)


def explain_fall(ctx: Context, period: Period, figure: str, text: str) -> Outcome[None]:
    """Why a watched figure fell (a later explanation replaces an earlier one)."""
    if figure not in WATCHED:
        raise ValidationError(f"“{figure}”不是需要说明的指标。", "figure")
    if len(text.strip()) < 4:
        raise ValidationError("请具体写明下降的原因。", "text")
    ctx.session.add(
        FallNote(
            period_code=period.code,
            figure=figure,
            text=text.strip(),
            recorded_by=ctx.actor,
            recorded_at=instant_text(ctx.now),
        )
    )
    audit.record(ctx.session, ctx.actor, ENTITY, 0, "fall_note", after={"figure": figure})
    return Outcome(None, CHANGED)


def _file_fields(row: CadreFile) -> dict[str, object]:
    return {
        "name": row.name,
        "nature": row.nature,
        "in_post_since": row.in_post_since.isoformat() if row.in_post_since else None,
        "party_committee": row.party_committee,
        "establishment": row.establishment,
        "phone": row.phone,
    }


# ---- reading ---------------------------------------------------------------------


def cadre_rows(ctx: Context, period: Period) -> list[CadreRow]:
    """The cadres the archives received name as of the period's end, with the files."""
    end = period.as_of(ctx.today)
    archives = archives_as_of(ctx, end)
    found = sorted_cadres([c for data in archives.values() for c in cadres_of(data)])
    files = {f.id_number: f for f in ctx.session.scalars(select(CadreFile))}
    trained: dict[int, list[tuple[date, str]]] = {}
    for t in ctx.session.scalars(
        select(CadreTraining)
        .where(CadreTraining.on >= period.start, CadreTraining.on <= end)
        .order_by(CadreTraining.on)
    ):
        trained.setdefault(t.cadre_id, []).append((t.on, t.name))
    rows = []
    for cadre in found:
        file = files.get(cadre.id_number or "")
        rows.append(
            CadreRow(
                cadre,
                CadreNature(file.nature) if file and file.nature else None,
                file.in_post_since if file else None,
                file.party_committee if file else None,
                file.establishment if file else None,
                tuple(trained.get(file.id, [])) if file else (),
            )
        )
    return rows


def posts_held(ctx: Context, id_number: str) -> list[tuple[str, str, str, str]]:
    """A cadre's posts as every archive received states them, oldest period first:
    (period, organisation, branch, post). The history is the archives' own."""
    found = []
    for receipt in ctx.session.scalars(
        select(Receipt).where(Receipt.accepted.is_(True), Receipt.superseded_by.is_(None))
    ):
        if receipt.data is None:
            continue
        for cadre in cadres_of(receipt.data):
            if cadre.id_number == id_number:
                found.append((receipt.period_code or "", cadre.org_name, cadre.branch, cadre.post))
    return sorted(found, key=lambda p: (parse_period(p[0]).end, p[1], p[2]))


def _no_secretary(ctx: Context, end: date) -> list[str]:
    """Open branches of the archives received with no 书记 in a valid election by `end`."""
    found = []
    for org, data in archives_as_of(ctx, end).items():
        elected = {
            t["branch_id"]
            for t in data.get("terms", [])
            if not t["void_reason"] and t["secretary"] and t["elected_on"] <= end.isoformat()
        }
        for branch in data.get("branches", []):
            if (
                counts_as_branch(branch["kind"], branch["closed_on"])
                and branch["id"] not in elected
            ):
                found.append(org if branch["name"] == org else f"{org}／{branch['name']}")
    return found


def _counted(values: list[str], order: list[str]) -> tuple[tuple[str, int], ...]:
    counts = Counter(values)
    rest = sorted(k for k in counts if k not in order)
    return tuple((k, counts[k]) for k in [*order, *rest] if counts[k])


def _watched(rows: list[CadreRow], young: int) -> dict[str, int]:
    return {
        "total": len(rows),
        "secretaries": sum(1 for r in rows if r.cadre.post == "书记"),
        "young": sum(1 for r in rows if r.cadre.age is not None and r.cadre.age < young),
        "full_time": sum(1 for r in rows if r.nature is CadreNature.FULL_TIME),
        "trained": sum(1 for r in rows if r.trainings),
    }


def analysis(ctx: Context, period: Period) -> Analysis:
    """The period's analysis as of its end, with the watched figures against the period
    before and the explanations the committee gave for each fall."""
    rules = ctx.profile.committee
    young, oldest = rules.young_cadre_age.value, rules.cadre_max_age.value
    rows = cadre_rows(ctx, period)
    before = cadre_rows(ctx, period.previous)
    now_figures, then = _watched(rows, young), _watched(before, young)
    notes: dict[str, str] = {}
    for note in ctx.session.scalars(
        select(FallNote).where(FallNote.period_code == period.code).order_by(FallNote.id)
    ):
        notes[note.figure] = note.text
    bands = [f"不满{young}岁", f"{young}–{oldest}岁", f"{oldest}岁以上", UNKNOWN]

    def band(age: int | None) -> str:
        if age is None:
            return UNKNOWN
        return bands[0] if age < young else bands[1] if age <= oldest else bands[2]

    ages = [r.cadre.age for r in rows if r.cadre.age is not None]
    return Analysis(
        period=period,
        rows=tuple(rows),
        by_level=_counted([r.cadre.level for r in rows], ["团委", "团总支", "团支部"]),
        by_post=_counted([r.cadre.post for r in rows], ["书记", "委员"]),
        ages=_counted([band(r.cadre.age) for r in rows], bands),
        average_age=round(sum(ages) / len(ages), 1) if ages else None,
        genders=_counted([r.cadre.gender for r in rows], ["男", "女", UNKNOWN]),
        ethnicities=_counted(
            [
                r.cadre.ethnicity if r.cadre.ethnicity in ("汉族", UNKNOWN) else "少数民族"
                for r in rows
            ],
            ["汉族", "少数民族", UNKNOWN],
        ),
        education=_counted([r.cadre.education for r in rows], []),
        political=_counted(
            [r.cadre.political_status for r in rows], ["中共党员", "中共预备党员", "团员"]
        ),
        natures=_counted(
            [r.nature.label if r.nature else UNKNOWN for r in rows],
            [n.label for n in CadreNature] + [UNKNOWN],
        ),
        years=_counted(
            [years_band(r.cadre.years_in_post) for r in rows],
            ["不满1年", "1–3年", "3–5年", "5年以上"],
        ),
        no_secretary=tuple(_no_secretary(ctx, period.as_of(ctx.today))),
        watched=now_figures,
        falls=tuple(
            Fall(key, WATCHED[key], then[key], now_figures[key], notes.get(key))
            for key in WATCHED
            if now_figures[key] < then[key]
        ),
        unmatched=sum(1 for r in rows if not r.cadre.id_number),
    )
