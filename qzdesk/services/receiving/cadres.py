"""团干部: the secretaries and committee members of every organisation received, from the
terms in their signed archives, with age, gender and education where the archive's
roster names the same person in that branch (a secretary who is not on the roster, or a
name that is not unique there, stays 未填: nothing is guessed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from qzdesk.services.members.validation import age_on
from qzdesk.vocabulary import OrgKind, PoliticalStatus

UNKNOWN = "未填"
YEAR_BANDS = ((0, 1, "不满1年"), (1, 3, "1–3年"), (3, 5, "3–5年"))
LONG = "5年以上"


@dataclass(frozen=True)
class Cadre:
    org_name: str
    branch: str
    name: str
    post: str  # 书记 / 委员
    gender: str
    age: int | None
    education: str
    elected_on: date  # the first term in a row in this post
    ends_on: date
    years_in_post: float
    level: str = UNKNOWN  # the kind of organisation the post is in (团委, 团总支, 团支部)
    id_number: str | None = None  # from the roster: how the committee's database matches
    ethnicity: str = UNKNOWN
    political_status: str = UNKNOWN

    HEADERS = (
        "组织",
        "团支部",
        "姓名",
        "职务",
        "性别",
        "年龄",
        "学历",
        "任职起始",
        "本届届满",
        "任职年限",
    )

    def cells(self) -> list[object]:
        return [
            self.org_name,
            self.branch,
            self.name,
            self.post,
            self.gender,
            UNKNOWN if self.age is None else self.age,
            self.education,
            self.elected_on.isoformat(),
            self.ends_on.isoformat(),
            round(self.years_in_post, 1),
        ]


def _people(data: dict[str, Any]) -> dict[tuple[int, str], dict[str, Any] | None]:
    """Members on the books by (branch, name); None where the name is not unique there."""
    found: dict[tuple[int, str], dict[str, Any] | None] = {}
    for member in data["members"]:
        if member["status"] != "active":
            continue
        key = (member["branch_id"], member["name"])
        found[key] = None if key in found else member
    return found


def cadres_of(data: dict[str, Any]) -> list[Cadre]:
    """The cadres of one archive as of its period's day: the latest valid term of each
    branch, each person's start counted from the first of the unbroken run of terms in
    which they held the same post."""
    as_of = date.fromisoformat(data["period"].get("as_of", data["period"]["end"]))
    names = {b["id"]: b["name"] for b in data.get("branches", [])}
    kinds = {b["id"]: b["kind"] for b in data.get("branches", [])}
    people = _people(data)
    terms: dict[int, list[dict[str, Any]]] = {}
    for term in data.get("terms", []):
        if not term["void_reason"] and term["elected_on"] <= as_of.isoformat():
            terms.setdefault(term["branch_id"], []).append(term)
    found = []
    for branch_id, history in terms.items():
        history.sort(key=lambda t: t["elected_on"])
        latest = history[-1]
        posts = [(latest["secretary"], "书记")] + [
            (n, "委员") for n in latest["committee"] if n != latest["secretary"]
        ]
        for name, post in posts:
            if not name:
                continue
            start = latest["elected_on"]
            for earlier in reversed(history[:-1]):
                held = (
                    earlier["secretary"] == name if post == "书记" else name in earlier["committee"]
                )
                if not held:
                    break
                start = earlier["elected_on"]
            person = people.get((branch_id, name))
            birth = person.get("birth_date") if person else None
            started = date.fromisoformat(start)
            found.append(
                Cadre(
                    org_name=data["branch"]["name"],
                    branch=names.get(branch_id, ""),
                    name=name,
                    post=post,
                    gender=(person or {}).get("gender") or UNKNOWN,
                    age=age_on(date.fromisoformat(birth), as_of) if birth else None,
                    education=(person or {}).get("education_highest")
                    or (person or {}).get("education_fulltime")
                    or UNKNOWN,
                    elected_on=started,
                    ends_on=date.fromisoformat(latest["ends_on"]),
                    years_in_post=(as_of - started).days / 365.25,
                    level=OrgKind(kinds[branch_id]).label if branch_id in kinds else UNKNOWN,
                    id_number=(person or {}).get("id_number"),
                    ethnicity=(person or {}).get("ethnicity") or UNKNOWN,
                    political_status=_political((person or {}).get("political_status")),
                )
            )
    return found


def _political(value: str | None) -> str:
    return PoliticalStatus(value).label if value else UNKNOWN


def sorted_cadres(found: list[Cadre]) -> list[Cadre]:
    return sorted(found, key=lambda c: (c.org_name, c.branch, c.post != "书记", c.name))


def years_band(years: float) -> str:
    return next((label for low, high, label in YEAR_BANDS if low <= years < high), LONG)
