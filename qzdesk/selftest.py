"""`qzdesk selftest`: what support asks a secretary's PC to prove, and what CI asks of
the frozen build: the data layer, the signature, the PDF and Qt all work here. Works in
a temporary directory; touches no real data."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from qzdesk.services import clock
from qzdesk.services.desk import Desk


def run_checks(report: Callable[[str], None]) -> bool:
    from qzdesk.config import DataPaths
    from qzdesk.export.archive import save_archive, trust_list, verify_archive
    from qzdesk.services.demo.build import DEMO_PASSWORD, build_demo
    from qzdesk.services.organisation.rules import installed_profiles
    from qzdesk.services.periods import parse_period
    from qzdesk.services.storage.health import check
    from qzdesk.services.storage.staging import staged_store
    from qzdesk.services.storage.store import Store

    ok = True

    def step(what: str, passed: bool, detail: str = "") -> None:
        nonlocal ok
        ok = ok and passed
        report(f"{'通过' if passed else '失败'}：{what}{('（' + detail + '）') if detail else ''}")

    from qzdesk.services.security import auth
    from qzdesk.services.storage import cipher

    with tempfile.TemporaryDirectory(prefix="qzdesk-selftest-") as tmp:
        paths = DataPaths(Path(tmp) / "data")
        profiles = installed_profiles(paths)
        with staged_store(paths, "qzdesk selftest") as store:
            build_demo(Desk(store, profiles), clock.today())
        step("建立演示数据（数据库、迁移、规则配置）", paths.database.exists())
        step("数据文件检查", check(paths.database, full=True).healthy)
        cipher.forget_all()  # as at a fresh start: only the password opens it
        encrypted = not cipher.is_plain(paths.database) and auth.login(paths, DEMO_PASSWORD).ok
        step("数据文件加密（SQLCipher）", encrypted, cipher.dbapi.sqlite_version)
        with Store.open(paths.root, "qzdesk selftest") as store:
            saved = Desk(store, profiles).write(
                save_archive, parse_period(str(clock.today().year)), DEMO_PASSWORD, Path(tmp)
            )
        result = verify_archive(saved.path.read_bytes(), trust_list(paths, []))
        step("生成并校验签名台账", result.ok, f"{saved.pages} 页")
        from qzdesk.ui.self_check import qt_checks  # Qt only when the rest has passed

        pages, translated = qt_checks(saved.path)
        step("Qt 界面、中文字体与 PDF 预览", pages == saved.pages, f"{pages} 页")
        step("Qt 自带对话框的中文翻译", translated)
    return ok
