"""Hash chains over append-only tables: each row's hash covers the previous row's hash
and the row's own content, so changing, inserting or removing a row in the middle breaks
every link after it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

GENESIS = "0" * 64


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def link_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    text = json.dumps(
        {k: _plain(v) for k, v in content.items()},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_hash}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    table: str
    count: int
    head: str
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def check_chain(
    table: str, rows: Iterable[Mapping[str, Any]], fields: tuple[str, ...]
) -> ChainCheck:
    """Recompute the chain over rows in id order; stop at the first broken link."""
    prev, count = GENESIS, 0
    for row in rows:
        if row["prev_hash"] != prev:
            return ChainCheck(
                table,
                count,
                prev,
                row["id"],
                "与上一条记录的链接不符（其前有记录被删除、插入或改动）",
            )
        expected = link_hash(prev, {f: row[f] for f in fields})
        if row["hash"] != expected:
            return ChainCheck(table, count, prev, row["id"], "内容与其哈希不符（记录被改动）")
        prev, count = expected, count + 1
    return ChainCheck(table, count, prev)
