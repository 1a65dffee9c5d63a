"""Chinese input on 统信 UOS and 麒麟 Kylin. PySide6's wheels carry Qt's ibus and compose
input-method plugins, not fcitx, which those desktops use: a window asking for fcitx
would get no input method at all. fcitx5 also serves the ibus protocol, so where fcitx
is wanted and its Qt plugin is absent, ask for ibus instead."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path


def wanted_fcitx(environ: Mapping[str, str]) -> bool:
    return any(
        "fcitx" in environ.get(name, "").lower()
        for name in ("QT_IM_MODULE", "XMODIFIERS", "GTK_IM_MODULE", "INPUT_METHOD")
    )


def input_method_env(
    environ: Mapping[str, str], plugins: Path, platform: str = sys.platform
) -> dict[str, str]:
    """The variables to set before the QApplication exists (none when all is well)."""
    if not platform.startswith("linux") or not wanted_fcitx(environ):
        return {}
    contexts = plugins / "platforminputcontexts"
    if any("fcitx" in p.name for p in contexts.glob("*")):
        return {}  # an ABI-matched fcitx plugin is there (a packager added one): use it
    if not any("ibus" in p.name for p in contexts.glob("*")):
        return {}
    return {"QT_IM_MODULE": "ibus"}
