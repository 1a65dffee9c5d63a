"""Migrations: the head constant, models versus migrations, fixtures of released schemas,
a newer schema refused, append-only triggers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from qzdesk.models import AuditEntry, Base, Org
from qzdesk.services.errors import SchemaError
from qzdesk.services.security import store_key
from qzdesk.services.storage import cipher
from qzdesk.services.storage.integrity import quick_check
from qzdesk.services.storage.revisions import SCHEMA_HEAD, alembic_head, known_revisions
from qzdesk.services.storage.store import Store
from tests.desks import desk_of

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures" / "schemas").glob("*.sqlite"))


def test_head_constant_matches_alembic():
    assert alembic_head() == SCHEMA_HEAD


def test_models_match_the_migrations(empty_store):
    with empty_store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_there_is_a_fixture_for_every_released_schema():
    assert {path.stem for path in FIXTURES} == set(known_revisions())


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_each_released_schema_upgrades_with_its_data(fixture, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(fixture, data / "qzdesk.sqlite")
    key_file = fixture.with_name(fixture.name + cipher.KEY_SUFFIX)
    if key_file.exists():  # from 0010 on, encrypted: its key beside it, password qzdemo
        (data / "keys").mkdir()
        shutil.copy(key_file, data / "keys" / cipher.KEY_FILE)
        assert store_key.unlock(key_file, "qzdemo")
    with cipher.connect(fixture) as conn:
        orgs_before = conn.execute("SELECT id, name, closed_on FROM org ORDER BY id").fetchall()
        audit_before = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert orgs_before, "a fixture must hold data to prove it survives the upgrade"
    with Store.open(data, "tests") as store:
        with store.transaction() as session:
            orgs_after = [
                (o.id, o.name, o.closed_on.isoformat() if o.closed_on else None)
                for o in session.scalars(select(Org).order_by(Org.id))
            ]
            audit_after = session.query(AuditEntry).count()
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        backup = store.migration_backup
    assert revision == SCHEMA_HEAD
    assert orgs_after == [tuple(row) for row in orgs_before]
    assert audit_after >= audit_before
    if fixture.stem != SCHEMA_HEAD:
        assert backup is not None and quick_check(backup) == []
        with cipher.connect(backup) as conn:
            stored = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        assert stored == fixture.stem
    else:
        assert backup is None


def test_a_database_from_a_newer_qzdesk_is_refused_and_left_alone(data_dir):
    db = data_dir / "qzdesk.sqlite"
    with cipher.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = db.read_bytes()
    with pytest.raises(SchemaError, match="更新版本的 qzdesk"):
        Store.open(data_dir, "tests")
    assert db.read_bytes() == before
    # The refusal released the lock: a fixed file opens again.
    with cipher.connect(db) as conn:
        conn.execute(f"UPDATE alembic_version SET version_num = '{SCHEMA_HEAD}'")
    Store.open(data_dir, "tests").close()


def test_a_foreign_sqlite_file_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    with cipher.connect(data / "qzdesk.sqlite") as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    with pytest.raises(SchemaError, match="不是 qzdesk 的数据文件"):
        Store.open(data, "tests")


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET actor = '别人'", "DELETE FROM audit_log", "DELETE FROM org"],
)
def test_history_cannot_be_rewritten_even_outside_the_app(store, statement):
    with pytest.raises(IntegrityError, match="只能"), store.transaction() as session:
        session.execute(text(statement))
    # Also through the bare driver, as a tool outside qzdesk (given the key) would.
    conn = cipher.connect(store.paths.database)
    with pytest.raises(cipher.dbapi.IntegrityError):
        conn.execute(statement)
    conn.close()


def test_upgrading_to_0007_gives_old_names_their_syllables(tmp_path):
    """Members and applicants written before 0007 are found by a mixed pinyin search."""
    from qzdesk.services.members import records
    from qzdesk.services.members.search import matches, pinyin_pattern

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(
        Path(__file__).parent.parent / "fixtures" / "schemas" / "0006.sqlite",
        data / "qzdesk.sqlite",
    )
    with Store.open(data, "tests") as store:
        rows = desk_of(store).read(records.roster)
    assert rows and all(r.search_key.count(" ") == 3 for r in rows)
    name = rows[0]
    syllables = name.search_key.split(" ")[3]
    mixed = syllables.split("'")[0] + "".join(s[0] for s in syllables.split("'")[1:])
    assert matches(mixed, name.search_key, pinyin_pattern(mixed))


def test_upgrading_to_0008_keeps_steps_append_only_and_frees_void_id_numbers(tmp_path):
    """0008 rebuilds the applicant table that steps refer to: every step survives, the
    steps stay append-only, and an ID number is unique among applicants that are not void."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(FIXTURES[[p.stem for p in FIXTURES].index("0007")], data / "qzdesk.sqlite")
    with cipher.connect(data / "qzdesk.sqlite") as conn:
        steps_before = conn.execute("SELECT * FROM stage_event ORDER BY id").fetchall()
    assert steps_before
    Store.open(data, "tests").close()
    conn = cipher.connect(data / "qzdesk.sqlite")
    steps_after = conn.execute("SELECT * FROM stage_event ORDER BY id").fetchall()
    assert [row[:-1] for row in steps_after] == steps_before  # the new column is NULL
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with pytest.raises(cipher.dbapi.IntegrityError, match="只能追加"):
        conn.execute("DELETE FROM stage_event")
    columns = [r[1] for r in conn.execute("PRAGMA table_info(applicant)")]
    copy = ", ".join(c for c in columns if c not in ("id", "voided"))
    duplicate = f"INSERT INTO applicant ({copy}) SELECT {copy} FROM applicant LIMIT 1"
    with pytest.raises(cipher.dbapi.IntegrityError, match="UNIQUE"):
        conn.execute(duplicate)
    conn.execute("UPDATE applicant SET voided = 1 WHERE id = (SELECT min(id) FROM applicant)")
    conn.execute(duplicate)
    conn.close()


def test_upgrading_to_0016_reads_the_typed_dues_tier_into_a_basis_where_it_is_plain(
    tmp_path, profiles
):
    """A member with "学生 0.2 元/月" and no basis is reckoned as a student from this month
    (nothing falls due before it); "工资收入 2000 元以上" names no income: kept as typed and
    asked about on the 工作台."""
    from qzdesk.models import DuesBasis, Member
    from qzdesk.services import clock
    from qzdesk.services.desk import Desk
    from qzdesk.services.dues import book
    from qzdesk.services.members import records
    from qzdesk.services.todo import todo
    from tests.unit.test_members import branch, new_draft

    fixture = FIXTURES[[p.stem for p in FIXTURES].index("0015")]
    data = tmp_path / "data"
    (data / "keys").mkdir(parents=True)
    shutil.copy(fixture, data / "qzdesk.sqlite")
    key_file = fixture.with_name(fixture.name + cipher.KEY_SUFFIX)
    shutil.copy(key_file, data / "keys" / cipher.KEY_FILE)
    assert store_key.unlock(key_file, "qzdemo")
    with cipher.connect(fixture) as conn:
        bare = conn.execute(
            "SELECT dues_tier, count(*) FROM member WHERE id NOT IN "
            "(SELECT member_id FROM dues_basis) GROUP BY dues_tier"
        ).fetchall()
    assert dict(bare) == {"学生 0.2 元/月": 1, "工资收入 2000 元以上": 1}  # both have left
    with Store.open(data, "tests") as store:
        with store.transaction() as session:
            adopted = session.execute(
                select(Member.dues_tier, DuesBasis.category, DuesBasis.from_month)
                .join(DuesBasis, DuesBasis.member_id == Member.id)
                .where(DuesBasis.recorded_by.like("数据升级%"))
            ).all()
            tiers = {t for (t,) in session.execute(select(Member.dues_tier))}
        desk = Desk(store, profiles)
        assert desk.read(book.without_basis) == []  # the two left bare have left the books
        desk_of(store).write(
            records.add_member,
            new_draft(dues_tier="个体经营"),
            branch(store),
        )
        unread = desk.read(book.without_basis)
        items = [i.text for i in desk.read(todo)]
    assert adopted == [("学生 0.2 元/月", "student", clock.today().replace(day=1))]
    assert tiers == {"学生 0.2 元/月", "工资收入 2000 元以上"}  # what was typed stays
    assert unread == [("张三丰", "个体经营")]
    assert any("1 名团员尚未确定团费交纳类别" in i and "张三丰（个体经营）" in i for i in items)
