"""`qzdesk check` against forgeries made outside qzdesk: a dishonest edit that drops a
trigger, changes a record and covers its tracks is caught by what is already signed."""

from __future__ import annotations

import json
from datetime import datetime

from qzdesk.export.archive import save_archive
from qzdesk.services.admission.chain import GENESIS, link_hash
from qzdesk.services.admission.ledger import ENTRY_FIELDS, verify_ledger
from qzdesk.services.periods import parse_period
from qzdesk.services.records_check import check_records
from qzdesk.services.storage import cipher
from qzdesk.services.storage.store import Store
from tests.desks import desk_at, desk_of
from tests.unit.test_member_import import run_cli


def forge_points(database) -> None:
    """What a careful forger does: lift the guard, raise one entry, recompute every hash
    after it, and put the guard back."""
    conn = cipher.connect(database)
    conn.row_factory = cipher.dbapi.Row
    guard = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'points_entry_no_update'"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER points_entry_no_update")
    first = conn.execute("SELECT min(id) FROM points_entry").fetchone()[0]
    conn.execute("UPDATE points_entry SET points10 = points10 + 100 WHERE id = ?", (first,))
    previous = GENESIS
    for row in conn.execute("SELECT * FROM points_entry ORDER BY id").fetchall():
        content = {f: row[f] for f in ENTRY_FIELDS}
        content["evidence"] = json.loads(content["evidence"])
        digest = link_hash(previous, content)
        conn.execute(
            "UPDATE points_entry SET prev_hash = ?, hash = ? WHERE id = ?",
            (previous, digest, row["id"]),
        )
        previous = digest
    conn.execute(guard)
    conn.commit()
    conn.close()


def test_a_recomputed_chain_is_caught_by_the_archives_already_signed(store, profiles, tmp_path):
    year = datetime.now().year
    desk_at(store, profiles=profiles).write(
        save_archive, parse_period(str(year)), "qzdemo", tmp_path / "out"
    )
    assert desk_of(store).read(check_records) == []
    root = store.paths.root
    store.close()
    forge_points(root / "qzdesk.sqlite")
    with Store.open(root, "tests") as reopened:
        assert desk_of(reopened).read(verify_ledger).ok  # the chain alone is consistent again
        problems = desk_of(reopened).read(check_records)
    assert problems and "已签发的台账" in problems[0] and "从备份恢复" in problems[0]
    cli = run_cli("check", "--data", str(root))
    assert cli.returncode == 4 and "已签发的台账" in cli.stdout and "Traceback" not in cli.stderr


def test_a_dropped_guard_and_an_edited_signed_minutes_are_named(store):
    root = store.paths.root
    store.close()
    conn = cipher.connect(root / "qzdesk.sqlite")
    guard = conn.execute(
        "SELECT sql FROM sqlite_master WHERE name = 'meeting_signed_no_update'"
    ).fetchone()[0]
    conn.execute("DROP TRIGGER meeting_signed_no_update")
    conn.execute(
        "UPDATE meeting SET topic = '改过的议题' WHERE id = "
        "(SELECT min(id) FROM meeting WHERE status = 'signed')"
    )
    conn.execute(guard)
    conn.execute("DROP TRIGGER term_no_delete")
    conn.commit()
    conn.close()
    with Store.open(root, "tests") as reopened:
        problems = desk_of(reopened).read(check_records)
    assert any("term_no_delete" in p for p in problems)
    assert any("已签字的会议记录" in p and "不符" in p for p in problems)


def test_an_evidence_file_changed_on_disk_is_named(store, profiles, tmp_path):
    from qzdesk.services.admission.applicants import add_evidence

    source = tmp_path / "申请书.pdf"
    source.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    row = desk_of(store, profiles).write(add_evidence, source).value
    from qzdesk.services.attachments import stored_path

    stored_path(store.paths, row.sha256, row.kind).write_bytes(b"%PDF-1.4\nchanged\n%%EOF\n")
    assert any("申请书.pdf" in p and "改动" in p for p in desk_of(store).read(check_records))


def damage_table(database, table: str) -> None:
    """Overwrite the first page of a table's b-tree: SQLite can open the file, and finds
    the damage only when it reads that table."""
    conn = cipher.connect(database)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    conn.close()
    with open(database, "r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * 64)


def test_a_damaged_file_is_named_and_never_ends_in_a_traceback(store):
    from qzdesk.services.storage.backup import online_backup
    from qzdesk.services.storage.health import check
    from qzdesk.services.storage.integrity import is_damage

    root = store.paths.root
    backup = online_backup(store.paths.database, store.paths.backups, "manual")
    store.close()
    damage_table(root / "qzdesk.sqlite", "member")
    try:
        cipher.connect(root / "qzdesk.sqlite").execute("SELECT * FROM member").fetchall()
    except cipher.DatabaseError as error:
        assert is_damage(error)
    else:
        raise AssertionError("the damage was not where the test put it")
    report = check(root / "qzdesk.sqlite", full=True)
    assert not report.healthy
    data = ("--data", str(root))
    for command in (("check", "--full"), ("members", "export", str(root / "x.xlsx"))):
        result = run_cli(*command, *data)
        assert result.returncode in (2, 4), command
        assert "Traceback" not in result.stderr, result.stderr
    exported = run_cli("members", "export", str(root / "x.xlsx"), *data)
    assert "已损坏" in exported.stderr and f'qzdesk restore "{backup}"' in exported.stderr
    # …and the backup it names brings the data back.
    assert run_cli("restore", str(backup), *data).returncode == 0
    assert run_cli("check", "--full", *data).returncode == 0


def test_a_forger_who_rewrites_the_anchors_too_is_caught_by_what_went_upward(
    store, profiles, tmp_path
):
    """`check` alone proves the chains against what this file (and the copies in its
    folder) say was signed; a forger who also rewrites those is caught only by the archives
    handed upward: `check --against`."""
    upward = tmp_path / "报送"
    desk_at(store, profiles=profiles).write(
        save_archive, parse_period(str(datetime.now().year)), "qzdemo", upward
    )
    root = store.paths.root
    copies = list((root / "issued").glob("*.pdf"))  # the copy kept of what was issued,
    assert copies and not copies[0].read_bytes().startswith(b"%PDF")  # sealed on disk
    store.close()
    forge_points(root / "qzdesk.sqlite")
    conn = cipher.connect(root / "qzdesk.sqlite")
    guards = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
    ).fetchall()
    for (sql,) in guards:
        conn.execute(f"DROP TRIGGER {sql.split()[2]}")
    conn.execute("DELETE FROM audit_log WHERE entity = 'archive'")
    for (sql,) in guards:
        conn.execute(sql)
    conn.commit()
    conn.close()
    for copy in (root / "issued").glob("*.pdf"):
        copy.unlink()
    alone = run_cli("check", "--data", str(root))
    assert alone.returncode == 0, alone.stdout  # nothing left inside the folder to disagree
    against = run_cli("check", "--against", str(upward), "--data", str(root))
    assert against.returncode == 4, against.stdout
    assert "积分账与台账" in against.stdout and "不符" in against.stdout
    stranger = tmp_path / "别人的.pdf"
    stranger.write_bytes(b"%PDF-1.7 not an archive")
    noted = run_cli("check", "--against", str(stranger), "--data", str(root))
    assert "不能用作对照" in noted.stdout
