"""Rule profiles: every League threshold as versioned data with its source.

A profile is a TOML file in resources/rules (bundled) or <data>/rules (adapted by
the branch). Each value carries a label, a unit, its source and a confidence mark:
R read in an official text, S consistent local notices, X unconfirmed (shown as
such, and later checks warn instead of blocking on it), D qzdesk's own default (no text
sets it). A broken file is an error
naming the file and the entry, never replaced by defaults.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from qzdesk.config import DataPaths, resources_dir
from qzdesk.services.errors import RuleProfileError

T = TypeVar("T")

CONFIDENCE_LABELS = {
    "R": "已核实（正式文件）",
    "S": "地方通行做法",
    "X": "未经证实",
    "D": "本软件默认值",
}
Confidence = Literal["R", "S", "X", "D"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Rule(_Strict, Generic[T]):
    label: str
    value: T
    unit: str = ""
    source: str
    confidence: Confidence
    note: str = ""

    @property
    def unconfirmed(self) -> bool:
        return self.confidence == "X"


class RuleGroup(_Strict):
    label: str

    def rules(self) -> Iterator[tuple[str, Rule[Any]]]:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, Rule):
                yield name, value


def _ordered(*pairs: tuple[str, Rule[Any], Rule[Any]]) -> None:
    for message, low, high in pairs:
        if low.value > high.value:
            raise ValueError(message)


def _ratio(*rules: tuple[str, Rule[float]]) -> None:
    for name, rule in rules:
        if not 0 < rule.value <= 1:
            raise ValueError(f"{name} 应为 0 到 1 之间的比例（现为 {rule.value}）")


class AdmissionRules(RuleGroup):
    min_age: Rule[int]
    max_age: Rule[int]
    talk_within_months: Rule[int]
    training_hours: Rule[int]
    mentors_min: Rule[int]
    mentors_max: Rule[int]
    observation_months: Rule[int]
    sponsors: Rule[int]
    publicity_working_days: Rule[int]
    vote_quorum: Rule[float]
    vote_pass_basis: Rule[Literal["expected", "present"]]
    student_volunteer_hours: Rule[int]
    application_pdf_max_mb: Rule[int]
    application_pdf_days: Rule[int]
    pioneer_recommend_min_age: Rule[int]
    pioneer_recommend_max_age: Rule[int]

    @model_validator(mode="after")
    def _consistent(self) -> AdmissionRules:
        _ordered(
            ("申请年龄下限不能高于上限", self.min_age, self.max_age),
            ("培养联系人人数下限不能高于上限", self.mentors_min, self.mentors_max),
            (
                "少先队推优年龄下限不能高于上限",
                self.pioneer_recommend_min_age,
                self.pioneer_recommend_max_age,
            ),
        )
        _ratio(("支部大会到会比例", self.vote_quorum))
        return self


class QuotaRules(RuleGroup):
    middle_school_ratio: Rule[float]
    high_school_ratio: Rule[float]
    vocational_school_ratio: Rule[float]

    @model_validator(mode="after")
    def _consistent(self) -> QuotaRules:
        _ratio(
            ("初中团青比", self.middle_school_ratio),
            ("普高团青比", self.high_school_ratio),
            ("中职团青比", self.vocational_school_ratio),
        )
        return self


class PointsItem(_Strict):
    """One scored item. state: yes = full value; degree: A/B/C/D = the profile's
    percentages of the value; count: the value each time it happens. A negative value
    deducts; `veto` puts the item on the negative list (blocks whatever the score)."""

    key: str
    name: str
    mode: Literal["state", "degree", "count"]
    value: float
    veto: bool = False


class PointsCategory(_Strict):
    key: str
    name: str
    kind: Literal["base", "bonus", "deduction"]
    stages: list[int]
    cap: float | None = None
    items: list[PointsItem]


class PointsStage(_Strict):
    number: int
    name: str
    qualifying: float


class PointsScheme(_Strict):
    """The school's points scheme: stages with their qualifying scores, categories with
    caps, items with values. Shipped as an example to adapt, never as the district's own."""

    label: str
    source: str
    confidence: Confidence
    note: str = ""
    stages: list[PointsStage]
    categories: list[PointsCategory]

    @model_validator(mode="after")
    def _consistent(self) -> PointsScheme:
        numbers = {s.number for s in self.stages}
        if numbers != {1, 2}:
            raise ValueError("积分方案应有第 1 阶段（确定入团积极分子）和第 2 阶段（确定发展对象）")
        keys = [c.key for c in self.categories] + [i.key for c in self.categories for i in c.items]
        if duplicated := sorted({k for k in keys if keys.count(k) > 1}):
            raise ValueError(f"积分类别或项目编号重复：{'、'.join(duplicated)}")
        for category in self.categories:
            if not category.items or not set(category.stages) <= numbers:
                raise ValueError(f"类别 {category.key} 应有项目，且所属阶段只能是 1 或 2")
            negative = category.kind == "deduction"
            for item in category.items:
                if (item.value < 0) != negative or item.value == 0:
                    sign = "负数（扣分）" if negative else "正数"
                    raise ValueError(f"项目 {item.key} 的分值应为{sign}")
        return self

    def item(self, key: str) -> tuple[PointsCategory, PointsItem] | None:
        for category in self.categories:
            for item in category.items:
                if item.key == key:
                    return category, item
        return None

    def stage(self, number: int) -> PointsStage:
        return next(s for s in self.stages if s.number == number)


class PointsRules(RuleGroup):
    applies_to_sectors: Rule[list[str]]
    gates_four_have: Rule[list[str]]
    gates_four_meet: Rule[list[str]]
    gates_one_excellent: Rule[list[str]]
    degree_percentages: Rule[list[int]]
    bonus_max_ratio: Rule[float]
    scheme: PointsScheme

    @model_validator(mode="after")
    def _consistent(self) -> PointsRules:
        degrees = self.degree_percentages.value
        if len(degrees) != 4 or degrees != sorted(degrees, reverse=True):
            raise ValueError("程度项得分比例应为从高到低的 4 个百分数（A、B、C、D）")
        _ratio(("加分项比例上限", self.bonus_max_ratio))
        return self

    def gates(self) -> list[tuple[str, str]]:
        """Every named gate of the checklist as (group label, gate)."""
        return [
            (rule.label, gate)
            for rule in (self.gates_four_have, self.gates_four_meet, self.gates_one_excellent)
            for gate in rule.value
        ]


class MeetingRules(RuleGroup):
    assembly_every_months: Rule[int]
    committee_every_months: Rule[int]
    group_every_months: Rule[int]
    lecture_every_months: Rule[int]
    league_day_every_months: Rule[int]
    assembly_quorum: Rule[float]
    election_quorum: Rule[float]
    evaluation_quorum: Rule[float]
    attachment_max_mb: Rule[int]

    @model_validator(mode="after")
    def _consistent(self) -> MeetingRules:
        _ratio(
            ("支部大会到会比例", self.assembly_quorum),
            ("换届选举到会比例", self.election_quorum),
            ("评议到会比例", self.evaluation_quorum),
        )
        return self


class MembershipRules(RuleGroup):
    age_out: Rule[int]
    age_out_warning_months: Rule[int]
    lapse_months: Rule[int]
    excellent_max_ratio: Rule[float]
    registration_deferral_months_min: Rule[int]
    registration_deferral_months_max: Rule[int]
    registration_void_after_months: Rule[int]
    member_no_required_from_year: Rule[int]
    member_no_prefix_from_year: Rule[int]
    legacy_min_join_age: Rule[int]
    evaluation_season_months: Rule[list[int]]
    registration_season_months: Rule[dict[Literal["school", "other"], list[int]]]

    def registration_months(self, school: bool) -> list[int]:
        """Schools register within a month of the autumn term, others at the year's end."""
        return self.registration_season_months.value["school" if school else "other"]

    @model_validator(mode="after")
    def _consistent(self) -> MembershipRules:
        seasons = {
            self.evaluation_season_months.label: self.evaluation_season_months.value,
            **{
                f"{self.registration_season_months.label}（{kind}）": months
                for kind, months in self.registration_season_months.value.items()
            },
        }
        for label, months in seasons.items():
            if not months or not all(1 <= m <= 12 for m in months):
                raise ValueError(f"{label}应为 1 到 12 之间的月份")
        if set(self.registration_season_months.value) != {"school", "other"}:
            raise ValueError(f"{self.registration_season_months.label}应分别写明 school 和 other")
        _ordered(
            (
                "暂缓注册期限下限不能高于上限",
                self.registration_deferral_months_min,
                self.registration_deferral_months_max,
            )
        )
        _ratio(("优秀比例上限", self.excellent_max_ratio))
        return self


class DuesRules(RuleGroup):
    student_monthly_yuan: Rule[float]
    low_income_threshold_yuan: Rule[int]
    low_income_monthly_yuan: Rule[float]
    income_ratio: Rule[float]
    monthly_cap_yuan: Rule[float]
    farmer_monthly_yuan: Rule[float]
    income_mode: Rule[Literal["ratio", "brackets"]]
    brackets_yuan: Rule[list[list[float]]]  # [monthly income from, dues] rising
    arrears_warning_months: Rule[int]
    pay_ahead_months: Rule[int]
    kept_share: Rule[float]  # of what was collected, kept by the grassroots; the rest passed up

    @model_validator(mode="after")
    def _consistent(self) -> DuesRules:
        _ratio(("基层留用团费的比例", self.kept_share))
        return self


class TransferRules(RuleGroup):
    unmoved_lapse_months: Rule[int]  # not transferred this long without reason → 自行脱团
    request_lapse_days: Rule[int]  # an unanswered request lapses (智慧团建)
    letter_valid_days: Rule[int]  # the 介绍信's 有效期
    graduate_hold_months: Rule[int]  # held by the old school in a 流动团员团支部
    graduate_hold_max_months: Rule[int]
    new_branch_within_months: Rule[int]  # the admitting school sets up its branches
    register_form_from_year: Rule[int]  # 团员登记表 in the file of those admitted since

    @model_validator(mode="after")
    def _consistent(self) -> TransferRules:
        _ordered(
            (
                "毕业生保留组织关系的一般期限不能长于最长期限",
                self.graduate_hold_months,
                self.graduate_hold_max_months,
            )
        )
        return self


class PartyRules(RuleGroup):
    """推优入党 (中青发〔2019〕9号 and local practice)."""

    min_age: Rule[int]
    max_age: Rule[int]
    consult_max_age: Rule[int]
    min_league_months: Rule[int]
    applied_months_before: Rule[int]
    quota_ratio: Rule[float]
    quota_min_places: Rule[int]  # a small branch's floor where the share rounds to 0
    discipline_block_months: Rule[int]
    vote_quorum: Rule[float]
    vote_pass_basis: Rule[Literal["expected", "present"]]
    publicity_workdays: Rule[int]
    valid_years: Rule[int]

    @model_validator(mode="after")
    def _consistent(self) -> PartyRules:
        _ordered(
            ("推荐对象最低年龄不能高于推优年龄上限", self.min_age, self.max_age),
            ("推优年龄上限不能高于征求意见年龄上限", self.max_age, self.consult_max_age),
        )
        _ratio(("推优比例", self.quota_ratio), ("推优到会比例", self.vote_quorum))
        return self


RatingMeasure = Literal[
    "secretary",
    "committee",
    "term",
    "registration",
    "member_no",
    "age_out",
    "evaluation",
    "meetings_assembly",
    "meetings_committee",
    "meetings_lecture",
    "meetings_league_day",
    "minutes_signed",
    "plan_kept",
    "admission",
]


class RatingIndicator(_Strict):
    """One scored line of the self-rating: `measure` names what the records show (a share
    from 0 to 1, computed in services/rating.py), `points` what full marks are worth."""

    measure: RatingMeasure
    name: str
    points: float


class RatingDimension(_Strict):
    name: str
    indicators: list[RatingIndicator]

    @property
    def points(self) -> float:
        return sum(i.points for i in self.indicators)


class RatingVetoItem(_Strict):
    """一票否决: noted against a branch for a year, it makes the rating 软弱涣散."""

    key: str
    name: str


class RatingScheme(_Strict):
    """对标定级: the yearly 100-point self-rating in dimensions, each line scored from the
    records. Shipped as an example to adapt to the parent committee's own table."""

    label: str
    source: str
    confidence: Confidence
    note: str = ""
    dimensions: list[RatingDimension]
    vetoes: list[RatingVetoItem] = []  # profiles written before them still load

    @model_validator(mode="after")
    def _consistent(self) -> RatingScheme:
        measures = [i.measure for d in self.dimensions for i in d.indicators]
        if duplicated := sorted({m for m in measures if measures.count(m) > 1}):
            raise ValueError(f"对标定级的指标重复：{'、'.join(duplicated)}")
        total = sum(d.points for d in self.dimensions)
        if abs(total - 100) > 1e-6:
            raise ValueError(f"对标定级各项分值合计应为 100 分（现为 {total:g} 分）")
        return self


class BranchRules(RuleGroup):
    min_members: Rule[int]
    usual_max_members: Rule[int]
    committee_from_members: Rule[int]
    committee_size_min: Rule[int]
    committee_size_max: Rule[int]
    term_years: Rule[int]
    student_term_years: Rule[int]
    term_warning_days: Rule[int]
    rating_min_age_months: Rule[int]
    rating_bands: Rule[list[int]]
    rating_scheme: RatingScheme | None = None  # profiles written before it still load

    @model_validator(mode="after")
    def _consistent(self) -> BranchRules:
        _ordered(("支委会人数下限不能高于上限", self.committee_size_min, self.committee_size_max))
        bands = self.rating_bands.value
        if len(bands) != 4 or bands != sorted(bands, reverse=True):
            raise ValueError("对标定级分数线应为从高到低的 4 个分数（五星、四星、三星、后进）")
        return self


class ProfileHeader(_Strict):
    id: str
    name: str
    version: str
    effective: date
    summary: str


class CommitteeRules(RuleGroup):
    """The committee's year: coverage targets, the cadre analysis's bands, the 考评."""

    village_coverage_target: Rule[float]
    new_fields_growth_target: Rule[float]
    hollow_below_members: Rule[int]
    young_cadre_age: Rule[int]
    cadre_max_age: Rule[int]
    appraisal_weights: Rule[list[float]]  # 团内述职, 党政评价, 青年参评
    grade_points: Rule[list[float]]  # 优秀, 称职, 基本称职, 不称职
    result_bands: Rule[list[float]]  # the least score of 优秀, 称职, 基本称职

    @model_validator(mode="after")
    def _consistent(self) -> CommitteeRules:
        _ratio(("村级团组织设置目标", self.village_coverage_target))
        _ordered(("团干部年龄分段应由小到大", self.young_cadre_age, self.cadre_max_age))
        weights = self.appraisal_weights.value
        if len(weights) != 3 or abs(sum(weights) - 1) > 1e-6 or min(weights) < 0:
            raise ValueError("年终考评权重应为三个非负数，合计为 1")
        if len(self.grade_points.value) != 4:
            raise ValueError("考评等次折算分应有四个：优秀、称职、基本称职、不称职")
        bands = self.result_bands.value
        if len(bands) != 3 or bands != sorted(bands, reverse=True):
            raise ValueError("考评结果分档下限应为三个由高到低的分数")
        return self


class RuleProfile(_Strict):
    profile: ProfileHeader
    admission: AdmissionRules
    quotas: QuotaRules
    points: PointsRules
    meetings: MeetingRules
    membership: MembershipRules
    dues: DuesRules
    transfer: TransferRules
    party: PartyRules
    committee: CommitteeRules
    branch: BranchRules

    def groups(self) -> Iterator[tuple[str, RuleGroup]]:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, RuleGroup):
                yield name, value

    def entries(self) -> list[RuleEntry]:
        return [
            RuleEntry(f"{group_name}.{name}", group.label, rule)
            for group_name, group in self.groups()
            for name, rule in group.rules()
        ]

    @property
    def title(self) -> str:
        header = self.profile
        return f"{header.name}（{header.version}，{header.effective.isoformat()} 起施行）"


@dataclass(frozen=True)
class RuleEntry:
    """One value of a profile, flattened for listing."""

    key: str
    group_label: str
    rule: Rule[Any]

    @property
    def value_text(self) -> str:
        value = self.rule.value
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        if isinstance(value, float) and self.rule.unit.startswith("比例"):
            return f"{value * 100:.4g}%"
        return {"expected": "应到人数", "present": "实到人数"}.get(str(value), str(value))


_ERROR_TEXT = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的项目（拼写错误？）",
    "int_type": "应为整数",
    "float_type": "应为数字",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "bool_type": "应为 true 或 false",
    "date_type": "应为日期（如 2024-01-01）",
    "literal_error": "取值不在允许范围内",
    "model_type": "应为一个表（[…] 段）",
}


def _describe(error: dict[str, Any]) -> str:
    where = ".".join(str(part) for part in error["loc"]) or "（整个文件）"
    text = _ERROR_TEXT.get(error["type"])
    if text is None:
        text = str(error["msg"]).removeprefix("Value error, ")
    if "input" in error and error["type"] not in ("missing", "model_type"):
        text += f"（现为 {error['input']!r}）" if not isinstance(error["input"], dict) else ""
    return f"{where}：{text}"


def load_profile(path: Path) -> RuleProfile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleProfileError(f"无法读取规则配置文件 {path}：{exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise RuleProfileError(f"规则配置文件 {path} 不是 UTF-8 编码的文本。") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RuleProfileError(f"规则配置文件 {path} 格式有误（TOML）：{exc}") from exc
    if path.parent != bundled_rules_dir():
        data = _upgraded(data)
    try:
        return RuleProfile.model_validate(data)
    except ValidationError as exc:
        problems = "；".join(_describe(e) for e in exc.errors())
        raise RuleProfileError(f"规则配置文件 {path} 有误：{problems}") from exc


FILLED_NOTE = "（旧版配置中没有此项，沿用默认配置的值）"
# Rules added to the profile format since its first release: an adapted copy made before
# takes them from the bundled default (and says so); any other missing rule is an error.
ADDED_RULES = (
    ("admission", "talk_within_months"),  # was talk_within_days (30), now a calendar month
    ("meetings", "election_quorum"),
    ("membership", "member_no_prefix_from_year"),
    ("membership", "legacy_min_join_age"),
    ("branch", "rating_min_age_months"),
    ("dues", "farmer_monthly_yuan"),
    ("dues", "income_mode"),
    ("dues", "brackets_yuan"),
    ("dues", "arrears_warning_months"),
    ("dues", "pay_ahead_months"),
    ("dues", "kept_share"),
    ("party", "quota_min_places"),
)
# Whole groups added since: an adapted copy made before takes the bundled group.
ADDED_GROUPS = ("transfer", "party", "committee")


def _upgraded(data: dict[str, Any]) -> dict[str, Any]:
    """A profile the branch adapted from an older default, in today's shape."""
    default = tomllib.loads((bundled_rules_dir() / f"{DEFAULT_PROFILE_ID}.toml").read_text("utf-8"))
    for group in ADDED_GROUPS:
        if group not in data:
            data[group] = {
                key: {**rule, "note": (rule.get("note", "") + FILLED_NOTE).strip()}
                if isinstance(rule, dict)
                else rule
                for key, rule in default[group].items()
            }
    for group, name in ADDED_RULES:
        mine = data.get(group)
        if isinstance(mine, dict) and name not in mine:
            rule = default[group][name]
            mine[name] = {**rule, "note": (rule.get("note", "") + FILLED_NOTE).strip()}
    admission = data.get("admission")
    if isinstance(admission, dict):
        admission.pop("talk_within_days", None)
    membership = data.get("membership")
    season = membership.get("registration_season_months") if isinstance(membership, dict) else None
    if isinstance(season, dict) and isinstance(season.get("value"), list):
        school = default["membership"]["registration_season_months"]["value"]["school"]
        season["value"] = {"school": school, "other": season["value"]}
    return data


def bundled_rules_dir() -> Path:
    return resources_dir() / "rules"


def installed_profiles(paths: DataPaths) -> dict[str, RuleProfile]:
    """The bundled profiles and those the branch adapted in its data directory."""
    return load_profiles([bundled_rules_dir(), paths.rules])


def load_profiles(dirs: Iterable[Path]) -> dict[str, RuleProfile]:
    """Every profile in these folders, keyed by id; a broken or duplicate one is an error."""
    profiles: dict[str, RuleProfile] = {}
    origins: dict[str, Path] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            profile = load_profile(path)
            key = profile.profile.id
            if key in profiles:
                raise RuleProfileError(
                    f"规则配置 {key} 出现两次：{origins[key]} 和 {path}。请删除或改名其中一个。"
                )
            profiles[key] = profile
            origins[key] = path
    if not profiles:
        raise RuleProfileError(
            "没有找到任何规则配置文件（resources/rules/*.toml），安装可能不完整。"
        )
    return profiles


DEFAULT_PROFILE_ID = "qinzhou-2024"
