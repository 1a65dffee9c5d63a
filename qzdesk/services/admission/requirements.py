"""What stands between an applicant and the next step: pure checks over the applicant's
file against the rule profile. A rule marked unconfirmed (X) only warns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from qzdesk.services.admission.ledger import Balance, points_text
from qzdesk.services.admission.stages import ALLOWED, Stage, Step, stage_of
from qzdesk.services.dates import add_months
from qzdesk.services.members.discipline import on_probation
from qzdesk.services.members.validation import age_on
from qzdesk.services.organisation.rules import Rule, RuleProfile

PUBLICITY_BEFORE = {  # the step that needs this publicity finished and unopposed
    Step.CANDIDATE: "activist",
    Step.PRE_REVIEW: "candidate",
    Step.APPROVAL: "new_member",
}
# Steps that open a stage: nothing later may be dated before them.
STAGE_STEPS = frozenset(
    {Step.APPLICATION, Step.ACTIVIST, Step.CANDIDATE, Step.PRE_REVIEW, Step.APPROVAL}
)
PUBLICITY_LABELS = {"activist": "入团积极分子", "candidate": "发展对象", "new_member": "拟发展团员"}


@dataclass(frozen=True)
class Finding:
    text: str
    blocking: bool = True


@dataclass(frozen=True)
class EventView:
    id: int
    step: Step
    on: date
    details: dict[str, Any]
    evidence: list[str]
    recorded_by: str


@dataclass(frozen=True)
class PublicityState:
    id: int
    kind: str
    starts_on: date
    ends_on: date
    open_objections: int
    upheld_objections: int


@dataclass
class ApplicantFacts:
    """Everything the checks read about one applicant."""

    name: str
    birth_date: date
    recommended_by: str
    points_school: bool
    events: list[EventView]
    balance: Balance
    publicity: list[PublicityState] = field(default_factory=list)
    active_member_ids: set[int] = field(default_factory=set)
    probations: dict[int, list[tuple[date, date]]] = field(default_factory=dict)  # 留团察看

    def first(self, step: Step) -> EventView | None:
        return next((e for e in self.events if e.step is step), None)

    def all(self, step: Step) -> list[EventView]:
        return [e for e in self.events if e.step is step]

    @property
    def stage(self) -> Stage:
        return stage_of((e.step.value, e.details) for e in self.events)

    @property
    def training_hours(self) -> float:
        return sum(float(e.details.get("hours", 0)) for e in self.all(Step.TRAINING))

    @property
    def confirmed_gates(self) -> set[str]:
        return {e.details["gate"] for e in self.all(Step.GATE)}

    @property
    def passed_vote(self) -> EventView | None:
        return next((e for e in self.all(Step.VOTE) if e.details.get("passed")), None)


def _finding(rule: Rule[Any] | None, text: str, confidence: str | None = None) -> Finding:
    mark = confidence or (rule.confidence if rule is not None else "R")
    if mark == "X":
        return Finding(f"{text}（该规则未经证实，仅作提醒）", blocking=False)
    return Finding(text)


def age_findings(profile: RuleProfile, birth: date, recommended_by: str, on: date) -> list[Finding]:
    rules = profile.admission
    age = age_on(birth, on)
    found = []
    if age < rules.min_age.value:
        found.append(_finding(rules.min_age, f"申请时未满 {rules.min_age.value} 周岁（{age} 岁）"))
    if age >= rules.max_age.value:
        found.append(
            _finding(rules.max_age, f"申请时已满 {rules.max_age.value} 周岁，不能申请入团")
        )
    low, high = rules.pioneer_recommend_min_age, rules.pioneer_recommend_max_age
    if recommended_by == "pioneer" and not low.value <= age < high.value:
        found.append(
            _finding(
                low,
                f"少先队推优入团限年满 {low.value} 周岁、未满 {high.value} 周岁（现 {age} 岁）",
            )
        )
    return found


def _publicity(facts: ApplicantFacts, kind: str, on: date) -> list[Finding]:
    label = PUBLICITY_LABELS[kind]
    notices = [p for p in facts.publicity if p.kind == kind]
    if not notices:
        return [Finding(f"尚未对{label}进行公示")]
    latest = max(notices, key=lambda p: p.ends_on)
    found = []
    if on <= latest.ends_on:
        found.append(Finding(f"{label}公示至 {latest.ends_on:%Y-%m-%d} 结束，期满后方可进行下一步"))
    if any(p.open_objections for p in notices):
        found.append(Finding("公示期间收到的反映尚未处理完毕"))
    if any(p.upheld_objections for p in notices):
        found.append(Finding("公示期间的反映经核实属实，不能继续发展"))
    return found


def _points(profile: RuleProfile, facts: ApplicantFacts, stage: int) -> list[Finding]:
    if not facts.points_school:
        return []
    scheme = profile.points.scheme
    needed = scheme.stage(stage)
    have = facts.balance.stages.get(stage, 0)
    target = round(needed.qualifying * 10)
    found = []
    if have < target:
        found.append(
            _finding(
                None,
                f"{needed.name}积分 {points_text(have)}/{points_text(target)} 分"
                "（仅计已审核通过的积分）",
                scheme.confidence,
            )
        )
    for item in facts.balance.vetoed_by:
        found.append(_finding(None, f"有负面清单事项：{item}", scheme.confidence))
    return found


def _gates(profile: RuleProfile, facts: ApplicantFacts) -> list[Finding]:
    if not facts.points_school:
        return []
    missing = [gate for _, gate in profile.points.gates() if gate not in facts.confirmed_gates]
    if not missing:
        return []
    rule = profile.points.gates_four_have
    return [_finding(rule, f"尚未确认的入团标准 {len(missing)} 项：{'、'.join(missing)}")]


def step_findings(
    profile: RuleProfile,
    facts: ApplicantFacts,
    step: Step,
    on: date,
    details: dict[str, Any],
    history: bool = False,
) -> list[Finding]:
    """Why `step` cannot (blocking) or should not (warning) be recorded on `on`. For a
    step brought in from a list (`history`), the checks on records a list does not carry
    (publicities, points, the standards confirmed, how hours were split) are left out."""
    rules = profile.admission
    stage = facts.stage
    if step not in ALLOWED[stage]:
        return [Finding(f"{facts.name}目前是“{stage.label}”，不能办理“{step.label}”")]
    application = facts.first(Step.APPLICATION)
    assert application is not None
    found: list[Finding] = []
    entered = max(e.on for e in facts.events if e.step in STAGE_STEPS)
    if on < entered:
        found.append(Finding(f"日期早于进入当前阶段的日期（{entered:%Y-%m-%d}），请核对"))
    if step is Step.TALK:
        months = rules.talk_within_months.value
        deadline = add_months(application.on, months)  # a calendar month, not 30 days
        if on > deadline:
            found.append(
                Finding(
                    f"谈话晚于规定：应在收到申请后 {months} 个月内（{deadline:%Y-%m-%d} 前）"
                    f"谈话，已过 {(on - application.on).days} 天",
                    blocking=False,
                )
            )
    elif step is Step.ACTIVIST:
        if facts.first(Step.TALK) is None:
            found.append(_finding(rules.talk_within_months, "尚未与申请人谈话"))
        if not history and not str(details.get("approved_by", "")).strip():
            found.append(
                Finding(
                    "确定入团积极分子须报基层团（工）委同意：尚未写明（可先办理，收到后补登）",
                    blocking=False,
                )
            )
        found += [] if history else _points(profile, facts, 1)
    elif step is Step.MENTOR:
        member_id = details.get("member_id")
        party = bool(details.get("party"))  # a Party member: not on the League's roster
        # A list names people; one not on the roster was already reported by name.
        if (
            member_id not in facts.active_member_ids
            and not (history and member_id is None)
            and not party
        ):
            found.append(Finding("培养联系人须是在册团员或党员"))
        if party and details.get("name") in {e.details.get("name") for e in facts.all(Step.MENTOR)}:
            found.append(Finding("此人已是该积极分子的培养联系人"))
        if member_id is not None and member_id in {
            e.details.get("member_id") for e in facts.all(Step.MENTOR)
        }:
            found.append(Finding("此人已是该积极分子的培养联系人"))
        if len(facts.all(Step.MENTOR)) >= rules.mentors_max.value:
            found.append(
                _finding(rules.mentors_max, f"培养联系人最多 {rules.mentors_max.value} 人")
            )
    elif step is Step.TRAINING:
        hours = details.get("hours", 0)
        if not 0 < hours <= (10_000 if history else 24):
            found.append(Finding("学时应大于 0，且一次不超过 24 学时"))
    elif step is Step.CANDIDATE:
        activist = facts.first(Step.ACTIVIST)
        assert activist is not None
        months = rules.observation_months.value
        ready = add_months(activist.on, months)
        if on < ready:
            short = ready.toordinal() - on.toordinal()
            found.append(
                _finding(
                    rules.observation_months,
                    f"考察期不足 {months} 个月：还差 {short} 天"
                    f"（{ready:%Y-%m-%d} 可确定为发展对象）",
                )
            )
        hours, needed = facts.training_hours, rules.training_hours.value
        if hours < needed:
            found.append(_finding(rules.training_hours, f"团课学时 {hours:g}/{needed}"))
        mentors = len(facts.all(Step.MENTOR))
        if mentors < rules.mentors_min.value:
            found.append(
                _finding(
                    rules.mentors_min, f"尚未确定培养联系人（至少 {rules.mentors_min.value} 人）"
                )
            )
        if not history:
            if facts.first(Step.OBSERVATION_REPORT) is None:
                found.append(_finding(rules.observation_months, "尚无培养考察的书面意见"))
            found += _publicity(facts, "activist", on)
            found += _points(profile, facts, 2)
            found += _gates(profile, facts)
    elif step is Step.PRE_REVIEW:
        found += _publicity(facts, "candidate", on)
    elif step is Step.SPONSOR:
        member_id = details.get("member_id")
        if member_id not in facts.active_member_ids and not (history and member_id is None):
            found.append(_finding(rules.sponsors, "入团介绍人须是在册且团籍正常的团员"))
        elif member_id is not None and on_probation(facts.probations, member_id, on):
            found.append(Finding("此团员在留团察看期内，不能担任入团介绍人"))
        if member_id is not None and member_id in {
            e.details.get("member_id") for e in facts.all(Step.SPONSOR)
        }:
            found.append(Finding("此人已是该发展对象的入团介绍人"))
        if len(facts.all(Step.SPONSOR)) >= rules.sponsors.value:
            found.append(
                _finding(rules.sponsors, f"入团介绍人为 {rules.sponsors.value} 人，已确定")
            )
    elif step is Step.VOTE:
        if facts.first(Step.PRE_REVIEW) is None:
            found.append(Finding("尚未经上级团委预审"))
        sponsors = len(facts.all(Step.SPONSOR))
        if sponsors != rules.sponsors.value:
            found.append(
                _finding(
                    rules.sponsors, f"入团介绍人 {sponsors}/{rules.sponsors.value} 人，表决前须确定"
                )
            )
        found += vote_findings(profile, details)
    elif step is Step.APPROVAL:
        vote = facts.passed_vote
        assert vote is not None
        if on < vote.on:
            found.append(Finding("审批日期不能早于支部大会表决日期"))
        found += _publicity(facts, "new_member", on)
    elif step is Step.GATE:
        gate = details.get("gate")
        if not gate:
            found.append(Finding("请选择要确认的入团标准"))
        elif gate not in {g for _, g in profile.points.gates()}:
            found.append(Finding(f"规则配置中没有“{gate}”这一标准"))
        elif gate in facts.confirmed_gates:
            found.append(Finding(f"“{gate}”已确认过"))
        if not str(details.get("confirmed_by", "")).strip():
            found.append(Finding("请填写确认人"))
    elif step is Step.WITHDRAWN and not str(details.get("reason", "")).strip():
        found.append(Finding("请写明终止发展的原因"))
    return found


@dataclass(frozen=True)
class VoteResult:
    quorate: bool
    passed: bool
    basis: int


def tally(profile: RuleProfile, expected: int, present: int, yes: int) -> VoteResult:
    rules = profile.admission
    return count_vote(rules.vote_quorum, rules.vote_pass_basis, expected, present, yes)


def count_vote(
    quorum: Rule[float], pass_basis: Rule[Any], expected: int, present: int, yes: int
) -> VoteResult:
    """A vote by a meeting of members: quorate when more than `quorum` of 应到 came;
    passed when 赞成 is more than half of the basis (应到 or 实到, as the rule says)."""
    quorate = present > expected * quorum.value
    basis = expected if pass_basis.value == "expected" else present
    # An unconfirmed quorum rule is reported, not applied.
    counts = quorate or quorum.confidence == "X"
    return VoteResult(quorate, counts and yes * 2 > basis, basis)


def vote_findings(profile: RuleProfile, details: dict[str, Any]) -> list[Finding]:
    try:
        expected, present = int(details["expected"]), int(details["present"])
        yes, no, abstain = int(details["for"]), int(details["against"]), int(details["abstain"])
    except (KeyError, TypeError, ValueError):
        return [Finding("请填写应到、实到、赞成、反对、弃权人数")]
    if min(expected, present, yes, no, abstain) < 0 or expected == 0:
        return [Finding("人数不能为负数，应到人数须大于 0")]
    if present > expected:
        return [Finding(f"实到 {present} 人多于应到 {expected} 人")]
    if yes + no + abstain > present:
        return [Finding(f"赞成、反对、弃权合计 {yes + no + abstain} 票，多于实到 {present} 人")]
    result = tally(profile, expected, present, yes)
    if not result.quorate:
        rule = profile.admission.vote_quorum
        return [
            Finding(
                f"到会 {present}/{expected} 人，未超过有表决权团员的 {rule.value:.0%}，表决无效",
                blocking=False,
            )
        ]
    return []
