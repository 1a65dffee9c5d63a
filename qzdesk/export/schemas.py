"""The JSON Schemas of the data qzdesk embeds in signed files (resources/*-schema*.json):
each validator built once (a committee checks hundreds of files), and a finding in the
words the reports use."""

from __future__ import annotations

import json
import logging
from functools import cache
from typing import Any

log = logging.getLogger(__name__)


@cache
def validator(name: str) -> Any:
    import jsonschema

    from qzdesk.config import resources_dir

    schema = json.loads((resources_dir() / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def schema_problem(name: str, data: Any) -> str | None:
    """Where `data` breaks the schema `name` first, or None when it meets it."""
    import jsonschema

    error = jsonschema.exceptions.best_match(validator(name).iter_errors(data))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "（根）"
    log.info("data against %s at %s: %s", name, where, error.message)
    return f"机读数据不符合格式：位置 {where} 的内容不合规定。"
