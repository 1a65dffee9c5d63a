"""What the archives received say of each organisation as of a day: the latest accepted
archive (not superseded) of a period ended by then, or the figures a committee's archive
signed for an organisation under it. The register and the cadre analysis read them here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from qzdesk.models import Receipt
from qzdesk.services.context import Context
from qzdesk.services.periods import parse_period
from qzdesk.services.receiving.summary import on_books_of, secretary_of
from qzdesk.vocabulary import UNKNOWN


@dataclass(frozen=True)
class OrgFacts:
    org_name: str
    archive_id: str
    period_code: str
    on_books: int
    secretary: str | None  # None: no election on record


def archives_as_of(ctx: Context, day: date) -> dict[str, dict[str, Any]]:
    """Organisation → the data of its accepted archive of the latest period ended by `day`."""
    latest: dict[str, tuple[date, int, dict[str, Any]]] = {}
    for receipt in ctx.session.scalars(
        select(Receipt).where(Receipt.accepted.is_(True), Receipt.superseded_by.is_(None))
    ):
        if not receipt.org_name or not receipt.period_code or receipt.data is None:
            continue
        end = parse_period(receipt.period_code).end
        held = latest.get(receipt.org_name)
        if end <= day and (held is None or (end, receipt.id) > held[:2]):
            latest[receipt.org_name] = (end, receipt.id, receipt.data)
    return {name: data for name, (_end, _id, data) in latest.items()}


def facts_as_of(ctx: Context, day: date) -> dict[str, OrgFacts]:
    """Each organisation's 在册 and 书记 as the archives received by `day` state them;
    an organisation's own archive before the figures its committee signed for it."""
    found: dict[str, OrgFacts] = {}
    for name, data in archives_as_of(ctx, day).items():
        code = data["period"]["code"]
        found[name] = OrgFacts(
            name, data["archive_id"], code, on_books_of(data), secretary_of(data)
        )
        for received in data.get("received", []):
            figures = received.get("figures")
            if figures is None or received["org"] in found:
                continue
            secretary = figures["secretary"]
            found.setdefault(
                received["org"],
                OrgFacts(
                    received["org"],
                    received["archive_id"],
                    code,
                    figures["on_books"],
                    None if secretary in ("", UNKNOWN) else secretary,
                ),
            )
    return found
