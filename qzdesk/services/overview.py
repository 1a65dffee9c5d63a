"""What the home page (工作台) shows about the organisation."""

from __future__ import annotations

from dataclasses import dataclass

from qzdesk.services import orgs
from qzdesk.services.errors import NotInitialised
from qzdesk.services.rules import RuleProfile
from qzdesk.services.settings import Key, profile_in_force, read
from qzdesk.services.store import Store


@dataclass(frozen=True)
class Overview:
    root: orgs.OrgInfo
    branches: list[orgs.OrgInfo]
    secretary: str
    parent_org: str
    profile: RuleProfile

    @property
    def open_branches(self) -> list[orgs.OrgInfo]:
        return [b for b in self.branches if b.is_open]

    @property
    def closed_branches(self) -> list[orgs.OrgInfo]:
        return [b for b in self.branches if not b.is_open]

    @property
    def unconfirmed_rules(self) -> int:
        return sum(entry.rule.unconfirmed for entry in self.profile.entries())


def overview(store: Store, profiles: dict[str, RuleProfile]) -> Overview:
    all_orgs = orgs.list_orgs(store)
    roots = [o for o in all_orgs if o.parent_id is None]
    if not roots:
        raise NotInitialised("尚未设置组织，请先完成首次设置。")
    with store.transaction() as session:
        secretary = read(session, Key.SECRETARY, "")
        parent = read(session, Key.PARENT_ORG, "")
        profile_id = read(session, Key.PROFILE)
    return Overview(
        root=roots[0],
        branches=[o for o in all_orgs if o.parent_id is not None],
        secretary=secretary,
        parent_org=parent,
        profile=profile_in_force(profile_id, profiles),
    )
