"""Where qzdesk keeps its files: the data directory and the bundled resources."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "qzdesk"
DATA_ENV = "QZDESK_DATA"
PASSWORD_ENV = "QZDESK_PASSWORD"
RECOVERY_ENV = "QZDESK_RECOVERY_CODE"
BACKUP_PASSWORD_ENV = "QZDESK_BACKUP_PASSWORD"  # a backup taken under an earlier password


def resolve_data_dir(option: str | None = None) -> Path:
    """`--data DIR` wins over `QZDESK_DATA`, which wins over the platform default."""
    chosen = option or os.environ.get(DATA_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataPaths:
    """The files of one data directory."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "qzdesk.sqlite"

    @property
    def lock(self) -> Path:
        return self.root / "qzdesk.lock"

    @property
    def lock_owner(self) -> Path:
        return self.root / "qzdesk.lock.owner"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def rules(self) -> Path:
        """Rule profiles the branch adapted; they sit beside the bundled ones."""
        return self.root / "rules"

    @property
    def attachments(self) -> Path:
        """Evidence files, stored once each under their content hash."""
        return self.root / "attachments"

    @property
    def received(self) -> Path:
        """Archives received from the organisations below, kept as they came."""
        return self.root / "received"

    @property
    def spool(self) -> Path:
        """Temporary files of exports in progress (cleared at each start)."""
        return self.root / "spool"

    @property
    def transfers(self) -> Path:
        """The 存根: a copy of every transfer package signed here and every 回执 sent."""
        return self.root / "transfers"

    @property
    def issued(self) -> Path:
        """A copy of every archive this installation signed, for `check` to compare the
        chains with what was handed upward."""
        return self.root / "issued"

    @property
    def ui_state(self) -> Path:
        return self.root / "ui-state.ini"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    def was_used(self) -> bool:
        """Whether an organisation lived here (a key or a backup): then a missing data
        file is a loss to recover, not a first run."""
        return any(self.keys.glob("*")) or any(self.backups.glob("*.sqlite"))


def resources_dir() -> Path:
    """Bundled resources: inside the package when installed from a wheel, else the checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "resources", here.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("找不到 qzdesk 的资源目录 resources/，安装可能不完整。")


def font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttf"
