"""Chinese input under fcitx (UOS, Kylin) with Qt's wheels, which carry no fcitx plugin."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo

from qzdesk.ui.input_method import input_method_env


def plugins_with(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "plugins" / "platforminputcontexts"
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_bytes(b"")
    return folder.parent


def test_fcitx_desktops_get_ibus_when_qt_has_no_fcitx_plugin(tmp_path):
    plugins = plugins_with(
        tmp_path, "libibusplatforminputcontextplugin.so", "libcomposeplatforminputcontextplugin.so"
    )
    for environ in (
        {"QT_IM_MODULE": "fcitx"},
        {"XMODIFIERS": "@im=fcitx"},
        {"GTK_IM_MODULE": "fcitx5"},
    ):
        assert input_method_env(environ, plugins, "linux") == {"QT_IM_MODULE": "ibus"}


def test_nothing_changes_where_it_already_works(tmp_path):
    with_fcitx = plugins_with(
        tmp_path, "libfcitx5platforminputcontextplugin.so", "libibusplatforminputcontextplugin.so"
    )
    assert input_method_env({"QT_IM_MODULE": "fcitx"}, with_fcitx, "linux") == {}
    assert input_method_env({"QT_IM_MODULE": "ibus"}, with_fcitx, "linux") == {}
    assert input_method_env({"QT_IM_MODULE": "fcitx"}, with_fcitx, "win32") == {}


def test_the_wheel_s_qt_is_the_case_it_handles():
    """The PySide6 installed here: ibus present, fcitx absent, as the issue found."""
    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    names = [p.name for p in (plugins / "platforminputcontexts").glob("*")]
    assert any("ibus" in n for n in names) and not any("fcitx" in n for n in names)
    assert input_method_env({"XMODIFIERS": "@im=fcitx"}, plugins, "linux") == {
        "QT_IM_MODULE": "ibus"
    }


def test_the_self_test_passes_here(tmp_path):
    """What support asks of a secretary's PC (and CI of the frozen build)."""
    from tests.unit.test_member_import import run_cli

    result = run_cli("selftest", "--json", "--data", str(tmp_path / "untouched"))
    assert result.returncode == 0, result.stdout + result.stderr
    checks = __import__("json").loads(result.stdout)["checks"]
    assert len(checks) == 6 and all(c.startswith("通过") for c in checks)
    assert any("加密" in c for c in checks)
    assert not (tmp_path / "untouched" / "qzdesk.sqlite").exists()
