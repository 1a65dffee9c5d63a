"""Pinyin search keys: "zsf" and "zhangsanfeng" both find 张三丰."""

from __future__ import annotations


def name_key(name: str) -> str:
    """Lowercase `name fullpinyin initials`, stored with each member so search needs no
    pinyin work per keystroke."""
    # pypinyin loads its dictionaries in ~0.2 s: only when a name is written, not at start-up.
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(name, errors="ignore"))
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore"))
    return f"{name} {full} {initials}".lower()


def normalise_query(text: str) -> str:
    return "".join(text.split()).lower()
