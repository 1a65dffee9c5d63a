"""台账 page: build a signed archive into a folder, then verify it."""

from __future__ import annotations

from qzdesk.ui.pages.archive import destinations
from tests.ui.conftest import answer_modal


def test_build_then_verify(signed_in, qtbot, tmp_path):
    page = signed_in.archive
    page.kind.setCurrentIndex(page.kind.findData("quarter"))
    page.year.setValue(2026)
    page.part.setValue(4)
    assert page.period_code() == "2026Q4"
    usb = tmp_path / "usb"
    usb.mkdir()
    page.folder.setEditText(str(usb))
    page.build_with("wrong-password")
    qtbot.waitUntil(lambda: "没有生成台账" in page.result.text(), timeout=10_000)
    assert "密码不正确" in page.result.text() and list(usb.iterdir()) == []
    pages = []

    def look_then(decision):
        def act(dialog):
            pages.append(dialog.page_count)
            (dialog.accept if decision else dialog.reject)()

        return act

    answer_modal(look_then(False))
    page.build_with("qzdemo")
    qtbot.waitUntil(lambda: "已取消" in page.result.text(), timeout=20_000)
    assert len(pages) == 1 and list(usb.iterdir()) == []
    answer_modal(look_then(True))
    page.build_with("qzdemo")
    qtbot.waitUntil(lambda: page.last_saved is not None, timeout=20_000)
    saved = page.last_saved
    assert saved.path.parent == usb and saved.path.exists()
    assert pages == [saved.pages, saved.pages]  # the preview showed what was saved
    assert saved.archive_id in page.result.text()
    page.verify(saved.path)
    qtbot.waitUntil(lambda: page.last_check is not None, timeout=10_000)
    assert page.last_check.ok and "通过" in page.report.text()


def test_destinations_offer_the_documents_folder_first():
    label, folder = destinations()[0]
    assert "我的文档" in label and folder.endswith("Documents")
