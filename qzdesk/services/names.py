"""Normalising what people type as names."""

from __future__ import annotations

import re
import unicodedata

from qzdesk.services.errors import ValidationError

# Full-width letters and digits become ASCII; Chinese punctuation such as （） stays.
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def tidy(raw: str) -> str:
    """Trimmed, inner white space (the ideographic space too) collapsed to one space."""
    text = _FULL_WIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), raw)
    return re.sub(r"\s+", " ", text).strip()


def invisible_characters(text: str) -> list[str]:
    """Control and format characters (U+202E turns text around, U+200B hides in it): a
    name with them reads one way on screen and another in a search or a signed PDF."""
    return [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in ("Cc", "Cf", "Co")]


def clean_name(raw: str, what: str, field: str, max_length: int = 80) -> str:
    name = tidy(raw)
    if not name:
        raise ValidationError(f"请填写{what}。", field)
    hidden = invisible_characters(name)
    if hidden:
        raise ValidationError(
            f"{what}中有看不见的控制字符（{'、'.join(hidden)}），请删去后重新输入。", field
        )
    if len(name) > max_length:
        raise ValidationError(f"{what}太长：最多 {max_length} 个字（现为 {len(name)} 个）。", field)
    if formula_like(name):
        raise ValidationError(FORMULA_MESSAGE.format(what=what), field)
    return name


FORMULA_MESSAGE = "{what}不能以 = + - @ 开头（Excel 会把它当作公式执行），请删去开头的符号。"


def formula_like(text: str) -> bool:
    """What a spreadsheet would run as a formula if the text were pasted into a cell."""
    return text[:1] in ("=", "+", "-", "@")
