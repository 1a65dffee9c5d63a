"""A transfer package's embedded data (qzdesk-transfer.json) and a 回执's
(qzdesk-transfer-receipt.json): the package snapshot serialised and read back. The
format is documented in docs/transfer-format.md and checked against its JSON schema."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from qzdesk.services.dossier.papers import PaperState
from qzdesk.services.dossier.timeline import Entry
from qzdesk.services.transfer.snapshot import Package, Side
from qzdesk.vocabulary import Paper, TransferCause

FORMAT = "qzdesk-transfer"
RECEIPT_FORMAT = "qzdesk-transfer-receipt"
SCHEMA_VERSION = 1


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def package_data(pkg: Package) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "code": pkg.code,
        "cause": pkg.cause.value,
        "from": {"org": pkg.sender.org, "parent": pkg.sender.parent},
        "to": {"org": pkg.receiver.org, "parent": pkg.receiver.parent},
        "out_on": pkg.out_on.isoformat(),
        "valid_until": pkg.valid_until.isoformat(),
        "dues_paid_to": f"{pkg.dues_paid_to:%Y-%m}" if pkg.dues_paid_to else None,
        "dues_owing_months": pkg.dues_owing_months,
        "member": pkg.member,
        "timeline": [e.as_dict() for e in pkg.timeline],
        "papers": [p.as_dict() for p in pkg.papers],
        "taken_at": pkg.taken_at.isoformat(),
        "certificate_sha256": pkg.fingerprint,
    }


def package_from(data: dict[str, Any]) -> Package:
    """The snapshot back from data already checked against the schema."""
    paid = data["dues_paid_to"]
    return Package(
        code=data["code"],
        cause=TransferCause(data["cause"]),
        sender=Side(data["from"]["org"], data["from"]["parent"]),
        receiver=Side(data["to"]["org"], data["to"]["parent"]),
        out_on=date.fromisoformat(data["out_on"]),
        valid_until=date.fromisoformat(data["valid_until"]),
        dues_paid_to=date.fromisoformat(f"{paid}-01") if paid else None,
        dues_owing_months=data["dues_owing_months"],
        member=data["member"],
        # Entries stay as written: their `source` "" means the sender's own.
        timeline=tuple(Entry.from_dict(e, "") for e in data["timeline"]),
        papers=tuple(
            PaperState(
                Paper(p["paper"]),
                p["required"],
                p["present"],
                p["sha256"],
                p["kind"],
                _day(p["on"]),
                p["source"],
            )
            for p in data["papers"]
        ),
        taken_at=datetime.fromisoformat(data["taken_at"]),
        fingerprint=data["certificate_sha256"],
    )


def receipt_data(
    code: str,
    package_sha256: str,
    member_name: str,
    received_on: date,
    receiver: Side,
    fingerprint: str,
    now: datetime,
) -> dict[str, Any]:
    return {
        "format": RECEIPT_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "code": code,
        "package_sha256": package_sha256,
        "member_name": member_name,
        "received_on": received_on.isoformat(),
        "receiver": {"org": receiver.org, "parent": receiver.parent},
        "taken_at": now.isoformat(),
        "certificate_sha256": fingerprint,
    }
