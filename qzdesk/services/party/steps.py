"""The steps of one 推优入党 recommendation, in order."""

from __future__ import annotations

from qzdesk.vocabulary import Labeled


class PartyStep(Labeled):
    PROPOSED = "proposed"
    AGREED = "agreed"
    VOTE = "vote"
    REVIEWED = "reviewed"
    PUBLICITY = "publicity"
    APPROVED = "approved"
    SENT = "sent"
    ANSWER = "answer"
    WITHDRAWN = "withdrawn"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "proposed": "支委会提出推荐人选",
            "agreed": "基层团委同意召开推优大会",
            "vote": "团员大会无记名投票",
            "reviewed": "支委会审查",
            "publicity": "推优公示",
            "approved": "上级团委审查同意",
            "sent": "推荐表送交党组织",
            "answer": "党组织反馈",
            "withdrawn": "终止推荐",
        }


ORDER = (
    PartyStep.PROPOSED,
    PartyStep.AGREED,
    PartyStep.VOTE,
    PartyStep.REVIEWED,
    PartyStep.PUBLICITY,
    PartyStep.APPROVED,
    PartyStep.SENT,
)


class PartyAnswer(Labeled):
    """What the Party branch reports back; each later one supersedes the one before."""

    ACTIVIST = "activist"
    CANDIDATE = "candidate"
    PROBATIONARY = "probationary"
    FULL = "full"
    DECLINED = "declined"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "activist": "列为入党积极分子",
            "candidate": "列为发展对象",
            "probationary": "接收为预备党员",
            "full": "转为正式党员",
            "declined": "暂不列为培养对象",
        }


class LadderStage(Labeled):
    """Where a member stands on the 团→党 ladder, furthest first reached (the roster's
    filter): applied to the Party, recommended, listed by it, a Party member."""

    APPLIED = "applied"
    RECOMMENDED = "recommended"
    ACTIVIST = "activist"
    CANDIDATE = "candidate"
    PARTY = "party"

    @classmethod
    def _labels(cls) -> dict[str, str]:
        return {
            "applied": "已递交入党申请书",
            "recommended": "已推优",
            "activist": "入党积极分子",
            "candidate": "发展对象",
            "party": "中共党员（含预备党员）",
        }
