"""The archive's JSON Schema as another reader's tool takes it: ajv (the commonest JSON
Schema implementation) compiles it under --strict and validates real archives' data
with it, formats included; the previous format's schema is still used to read format 3."""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from qzdesk.config import resources_dir
from qzdesk.models import Member
from qzdesk.services.archive.data import SCHEMA_VERSION, archive_data
from qzdesk.services.archive.take import take_snapshot
from qzdesk.services.clock import BEIJING
from qzdesk.services.periods import parse_period
from qzdesk.services.transfer import book
from qzdesk.services.transfer.snapshot import Side
from qzdesk.vocabulary import TransferCause
from tests.desks import desk_at

AJV = Path(__file__).parents[2] / "tools" / "ajv" / "node_modules" / ".bin" / "ajv"
SCHEMA = resources_dir() / "archive-schema.json"


def ajv(*args: str) -> subprocess.CompletedProcess[str]:
    assert AJV.exists(), "ajv is installed by `make test` (npm ci --prefix tools/ajv)"
    return subprocess.run(
        [str(AJV), *args, "--spec=draft2020", "--strict=true", "-c", "ajv-formats"],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_schema_compiles_under_strict():
    done = ajv("compile", "-s", str(SCHEMA))
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(SCHEMA.read_text(encoding="utf-8"))["properties"]["schema_version"] == {
        "const": SCHEMA_VERSION
    }


def test_real_archives_data_validate_and_a_broken_one_does_not(store, tmp_path):
    now = datetime(2026, 12, 4, 9, tzinfo=BEIJING)
    desk = desk_at(store, now)
    leaving = desk.read(records_first_active)
    to = Side("某大学某学院团委", "共青团某大学委员会")
    desk.write(book.transfer_out, [book.Move(leaving, to, TransferCause.STUDY)], date(2026, 11, 20))
    files = []
    for code in ("2026", "2026Q2", "2026-11"):
        data = archive_data(desk.read(take_snapshot, parse_period(code)), f"QZ-{code}-0000ABCD")
        file = tmp_path / f"{code}.json"
        file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        files.append(file)
    for file in files:
        done = ajv("validate", "-s", str(SCHEMA), "-d", str(file))
        assert done.returncode == 0, done.stdout + done.stderr
    year = json.loads(files[0].read_text(encoding="utf-8"))
    assert [(t["direction"], t["state"]) for t in year["transfers"]] == [("out", "pending")]
    broken = json.loads(files[0].read_text(encoding="utf-8"))
    broken["members"][0]["joined_on"] = "2020-05-17"  # a month field with a day
    file = tmp_path / "broken.json"
    file.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    assert ajv("validate", "-s", str(SCHEMA), "-d", str(file)).returncode != 0


@pytest.mark.parametrize("version", [4, 5])
def test_the_previous_formats_schemas_still_compile(version):
    done = ajv("compile", "-s", str(resources_dir() / f"archive-schema-{version}.json"))
    assert done.returncode == 0, done.stdout + done.stderr


def records_first_active(ctx) -> int:  # type: ignore[no-untyped-def]
    return ctx.session.query(Member.id).filter(Member.status == "active").first()[0]
