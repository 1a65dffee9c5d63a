"""What the secretary is told when the data cannot be opened."""

from __future__ import annotations

from qzdesk.config import DataPaths
from qzdesk.services.storage import cipher
from qzdesk.ui.app import close_context, ensure_app, open_context
from qzdesk.ui.error_dialog import ErrorHandler
from tests.desks import desk_of
from tests.ui.conftest import answer_modal


def test_a_second_qzdesk_is_told_which_process_holds_the_data(
    qapp, data_dir, lock_holder, tmp_path
):
    ensure_app()
    holder = lock_holder(data_dir)
    texts: list[str] = []
    answer_modal(lambda box: (texts.extend([box.windowTitle(), box.text()]), box.close()))
    context = open_context(DataPaths(data_dir), ErrorHandler(tmp_path / "qzdesk.log"))
    assert context is None
    assert texts[0] == "无法打开数据"
    assert "另一个 测试占用进程" in texts[1] and str(holder.pid) not in texts[1]


def test_a_newer_database_is_refused_with_a_message(qapp, data_dir, tmp_path):
    ensure_app()
    with cipher.connect(data_dir / "qzdesk.sqlite") as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    texts: list[str] = []
    answer_modal(lambda box: (texts.append(box.text()), box.close()))
    assert open_context(DataPaths(data_dir), ErrorHandler(tmp_path / "qzdesk.log")) is None
    assert "更新版本的 qzdesk" in texts[0]


def test_a_broken_rule_profile_is_an_error_not_a_silent_default(qapp, data_dir, tmp_path):
    ensure_app()
    rules = DataPaths(data_dir).rules
    rules.mkdir()
    (rules / "mine.toml").write_text("[profile]\nid = 'x'\n", encoding="utf-8")
    texts: list[str] = []
    answer_modal(lambda box: (texts.append(box.text()), box.close()))
    assert open_context(DataPaths(data_dir), ErrorHandler(tmp_path / "qzdesk.log")) is None
    assert "mine.toml" in texts[0] and "缺少此项" in texts[0]


def test_a_second_start_brings_the_running_window_forward(qapp, qtbot, tmp_path):
    from qzdesk.ui.single_instance import WakeListener, wake_running

    root = tmp_path / "data"
    assert not wake_running(root)  # nothing runs there yet: this start opens it
    listener = WakeListener(root)
    assert listener.listening
    knocks: list[bool] = []
    listener.asked.connect(lambda: knocks.append(True))
    assert wake_running(root)
    qtbot.waitUntil(lambda: knocks == [True])
    listener.close()
    assert not wake_running(root)


def test_a_lost_data_file_is_offered_its_latest_backup(qapp, data_dir, tmp_path):
    from qzdesk.services.organisation.orgs import organisation_name
    from qzdesk.services.storage.backup import online_backup

    ensure_app()
    paths = DataPaths(data_dir)
    online_backup(paths.database, paths.backups, "manual")
    paths.database.unlink()
    asked: list[str] = []
    answer_modal(lambda box: (asked.append(box.text()), box.button(box.StandardButton.Yes).click()))
    context = open_context(paths, ErrorHandler(tmp_path / "qzdesk.log"))
    assert context is not None
    try:
        assert "没有数据文件 qzdesk.sqlite" in asked[0] and "现在从这份备份恢复吗" in asked[0]
        assert desk_of(context.store).read(organisation_name) == "秦州区示范中学团委（演示）"
    finally:
        close_context(context)


def test_closing_after_writing_takes_a_checked_backup(qapp, qtbot, data_dir, tmp_path):
    from qzdesk.services.organisation import orgs
    from qzdesk.services.storage.backup import backups

    ensure_app()
    paths = DataPaths(data_dir)
    before = len(backups(paths))
    context = open_context(paths, ErrorHandler(tmp_path / "qzdesk.log"))
    assert context is not None
    close_context(context)  # nothing written: no backup
    assert len(backups(paths)) == before
    context = open_context(paths, ErrorHandler(tmp_path / "qzdesk.log"))
    root = next(o for o in desk_of(context.store).read(orgs.list_orgs) if o.parent_id is None)
    context.write(orgs.add_branch, root.id, "关闭前新建的团支部")
    qtbot.waitUntil(lambda: context.wrote)  # the worker's changed signal has arrived
    close_context(context)
    made = backups(paths)[0]
    assert len(backups(paths)) == before + 1 and made.stem.endswith("-auto")


def test_a_restore_chosen_in_the_window_happens_once_it_has_closed(qapp, data_dir, tmp_path):
    from qzdesk.services.organisation import orgs
    from qzdesk.services.storage.backup import online_backup
    from qzdesk.services.storage.store import Store
    from qzdesk.ui.app import restore_after_closing

    ensure_app()
    paths = DataPaths(data_dir)
    backup = online_backup(paths.database, tmp_path / "U盘", "manual")
    with Store.open(data_dir, "tests") as store:
        root = next(o for o in desk_of(store).read(orgs.list_orgs) if o.parent_id is None)
        desk_of(store).write(orgs.add_branch, root.id, "备份之后新建的团支部")
    told: list[str] = []
    answer_modal(lambda box: (told.append(box.text()), box.accept()))
    restore_after_closing(paths, backup)
    assert told[0].startswith(f"已从 {backup.name} 恢复。原来的数据已另存为")
    with Store.open(data_dir, "tests") as store:
        assert "备份之后新建的团支部" not in {o.name for o in desk_of(store).read(orgs.list_orgs)}


def test_a_damaged_file_is_never_called_safe(qtbot, tmp_path):

    from PySide6.QtWidgets import QLabel

    from qzdesk.ui.error_dialog import ErrorDialog

    damaged = ErrorDialog(cipher.DatabaseError("database disk image is malformed"), tmp_path)
    ordinary = ErrorDialog(RuntimeError("boom"), tmp_path)
    for dialog in (damaged, ordinary):
        qtbot.addWidget(dialog)
    text = damaged.findChild(QLabel, "summary").text()
    assert "已损坏" in text and "从备份恢复" in text and "安全" not in text
    assert "您的数据是安全的" in ordinary.findChild(QLabel, "summary").text()
