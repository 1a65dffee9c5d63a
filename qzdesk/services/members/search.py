"""Pinyin search keys: "zsf", "zhangsanfeng" and any mix such as "zhangsf" or "niujm" find
张三丰 and 牛俊明."""

from __future__ import annotations

import re

SYLLABLE_MARK = "'"
_LETTERS = re.compile(r"[a-z]+")


def name_key(name: str) -> str:
    """Lowercase `name fullpinyin initials syl'la'bles`, stored with each member so search
    needs no pinyin work per keystroke."""
    # pypinyin loads its dictionaries in ~0.2 s: only when a name is written, not at start-up.
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, errors="ignore")
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore"))
    return f"{name} {''.join(syllables)} {initials} {SYLLABLE_MARK.join(syllables)}".lower()


def normalise_query(text: str) -> str:
    return "".join(text.split()).lower()


def pinyin_pattern(needle: str) -> re.Pattern[str] | None:
    """For a query of Latin letters, the syllables it may stand for, from the start of one:
    each letter continues the syllable or starts the next (the rest of this one skipped),
    so whole syllables, their beginnings and initials mix freely."""
    if len(needle) < 2 or not _LETTERS.fullmatch(needle):
        return None
    steps = [f"(?:{c}|[a-z]*{SYLLABLE_MARK}{c})" for c in needle[1:]]
    return re.compile(f"(?:^|[ {SYLLABLE_MARK}]){needle[0]}{''.join(steps)}", re.MULTILINE)


def initials_of(key: str) -> str:
    """The `initials` part of a search key ("zsf")."""
    parts = key.split(" ")
    return parts[2] if len(parts) > 2 else ""


def syllables_of(key: str) -> str:
    """The `syl'la'bles` part of a search key ("" for a key written before it existed)."""
    parts = key.split(" ")
    return parts[3] if len(parts) > 3 else ""


def matches(needle: str, key: str, pattern: re.Pattern[str] | None = None) -> bool:
    return needle in key or (pattern is not None and pattern.search(key) is not None)
