"""The ten steps of admission and where an applicant stands, derived from their events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qzdesk.models import StageEvent
from qzdesk.vocabulary import Labeled


class Step(Labeled):
    APPLICATION = "application"
    TALK = "talk"
    ACTIVIST = "activist"
    TRAINING = "training"
    MENTOR = "mentor"
    OBSERVATION_REPORT = "observation_report"
    GATE = "gate"
    CANDIDATE = "candidate"
    PRE_REVIEW = "pre_review"
    SPONSOR = "sponsor"
    VOTE = "vote"
    APPROVAL = "approval"
    OATH = "oath"
    WITHDRAWN = "withdrawn"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "application": "递交入团申请书",
            "talk": "与申请人谈话",
            "activist": "确定为入团积极分子（支委会）",
            "training": "党团知识培训（团课学时）",
            "mentor": "确定培养联系人",
            "observation_report": "培养考察书面意见",
            "gate": "确认入团标准",
            "candidate": "确定为发展对象（支委会）",
            "pre_review": "上级团委预审、填写入团志愿书",
            "sponsor": "确定入团介绍人",
            "vote": "支部大会表决",
            "approval": "上级团委审批",
            "oath": "入团仪式",
            "withdrawn": "终止发展",
        }


class Stage(Labeled):
    APPLICANT = "applicant"
    ACTIVIST = "activist"
    CANDIDATE = "candidate"
    VOTED = "voted"
    MEMBER = "member"
    WITHDRAWN = "withdrawn"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "applicant": "入团申请人",
            "activist": "入团积极分子",
            "candidate": "发展对象",
            "voted": "支部大会已通过",
            "member": "已批准入团",
            "withdrawn": "已终止发展",
        }

    @property
    def open(self) -> bool:
        return self not in (Stage.MEMBER, Stage.WITHDRAWN)

    @property
    def points_stage(self) -> int:
        """Stage 1 points select activists; from then on points count toward candidacy."""
        return 1 if self is Stage.APPLICANT else 2


# Which step moves an applicant to which stage (a vote only if it passed).
_MOVES = {
    Step.ACTIVIST: Stage.ACTIVIST,
    Step.CANDIDATE: Stage.CANDIDATE,
    Step.VOTE: Stage.VOTED,
    Step.APPROVAL: Stage.MEMBER,
    Step.WITHDRAWN: Stage.WITHDRAWN,
}

# The steps that can be recorded in each stage (gates and withdrawal while still open).
ALLOWED = {
    Stage.APPLICANT: (Step.TALK, Step.GATE, Step.ACTIVIST, Step.WITHDRAWN),
    Stage.ACTIVIST: (
        Step.TRAINING,
        Step.MENTOR,
        Step.OBSERVATION_REPORT,
        Step.GATE,
        Step.CANDIDATE,
        Step.WITHDRAWN,
    ),
    Stage.CANDIDATE: (Step.GATE, Step.PRE_REVIEW, Step.SPONSOR, Step.VOTE, Step.WITHDRAWN),
    Stage.VOTED: (Step.APPROVAL, Step.WITHDRAWN),
    Stage.MEMBER: (Step.OATH,),
    Stage.WITHDRAWN: (),
}


def stage_of(events: Iterable[tuple[str, Mapping[str, Any]]]) -> Stage:
    stage = Stage.APPLICANT
    for step, details in events:
        moved = _MOVES.get(Step(step))
        if moved is Stage.VOTED and not details.get("passed"):
            continue
        if moved is not None:
            stage = moved
    return stage


def stage_in_db(session: Session, applicant_id: int) -> Stage:
    rows = session.execute(
        select(StageEvent.step, StageEvent.details)
        .where(StageEvent.applicant_id == applicant_id)
        .order_by(StageEvent.on, StageEvent.id)
    )
    return stage_of((step, details) for step, details in rows)
