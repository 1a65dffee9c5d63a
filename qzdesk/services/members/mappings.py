"""Column mappings the secretary made by hand in an import's preview, remembered for the
next file with the same headers (the same system's export next term maps by itself)."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from qzdesk.services.members.columns import Column, header_key, lookup_of
from qzdesk.services.members.layout import find_layouts
from qzdesk.services.members.spreadsheet import Sheet, SpreadsheetError
from qzdesk.services.organisation.settings import Key, read, write


def signature(titles: list[str]) -> str:
    """The set of a sheet's headers as normalised, whatever their order."""
    keys = sorted({header_key(t) for t in titles if header_key(t)})
    return hashlib.sha256("|".join(keys).encode("utf-8")).hexdigest()[:16]


def titles_of(sheets: list[Sheet], columns: tuple[Column, ...]) -> list[str] | None:
    """The headers of the first sheet that has one (as the matcher alone finds it)."""
    try:
        return find_layouts(sheets, lookup_of(columns))[0][1].titles
    except SpreadsheetError:
        return None


def recall(session: Session, kind: str, titles: list[str] | None) -> dict[str, str] | None:
    if titles is None:
        return None
    found = read(session, Key.IMPORT_MAPPINGS, {}).get(kind, {}).get(signature(titles))
    return dict(found) if found else None


def remember(
    session: Session, actor: str, kind: str, titles: list[str], mapping: dict[str, str]
) -> None:
    stored = read(session, Key.IMPORT_MAPPINGS, {})
    mine = dict(stored.get(kind, {}))
    mine[signature(titles)] = mapping
    write(session, actor, Key.IMPORT_MAPPINGS, {**stored, kind: mine})
