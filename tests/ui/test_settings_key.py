"""设置 → 签名密钥: the certificate shown, and a key created where there was none."""

from __future__ import annotations

from PySide6.QtCore import Qt

from qzdesk.services.security import branch_key
from tests.ui.conftest import answer_modal


def test_the_fingerprint_is_shown(signed_in, qtbot):
    tab = signed_in.settings_page.key_tab
    qtbot.waitUntil(lambda: tab.info is not None)
    assert tab.info.fingerprint in tab.summary.text()
    assert not tab.buttons["create_key"].isEnabled() and tab.buttons["export_key"].isEnabled()


def test_create_a_key_for_existing_data(signed_in, qtbot):
    store = signed_in.context.store
    for path in (branch_key.key_path(store), branch_key.cert_path(store)):
        path.unlink()  # data from before signing keys existed
    tab = signed_in.settings_page.key_tab
    tab.refresh()
    qtbot.waitUntil(lambda: tab.buttons["create_key"].isEnabled())
    assert "尚未创建" in tab.summary.text()

    def enter_password(dialog):
        dialog.setTextValue("qzdemo")
        dialog.accept()

    answer_modal(enter_password)
    qtbot.mouseClick(tab.buttons["create_key"], Qt.MouseButton.LeftButton)
    done = answer_modal(lambda box: box.accept())
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    qtbot.waitUntil(lambda: tab.info is not None)
    assert branch_key.load_key(store, "qzdemo")
