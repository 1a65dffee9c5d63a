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


def clean_name(raw: str, what: str, field: str, max_length: int = 80) -> str:
    name = tidy(raw)
    if not name:
        raise ValidationError(f"请填写{what}。", field)
    if len(name) > max_length:
        raise ValidationError(f"{what}太长：最多 {max_length} 个字（现为 {len(name)} 个）。", field)
    return name
