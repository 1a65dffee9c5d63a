"""Replacing the data file and the files that go with it (its key file, the signing key
sealed under it) as one step, so that no kill or power cut leaves a file its key does not
open, and nothing is deleted before its replacement is in place.

A conversion (plain → encrypted), a new data key (新恢复码, 旧密码可能泄露) and a restore each
write every new file under its staged name beside the live one (`X.switch.part`), sync
them, then write the manifest keys/switch.json naming them: that write is the moment of
decision. Then each staged file is renamed over its live one and the manifest removed. A
start that finds the manifest finishes the renames before anything else; staged files
without a manifest are from a switch that never decided: the live files were never
touched, and the staged ones (encrypted under a key that was never written down, or
copies of what is live) are `*.part` leftovers, cleared as such."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path

from qzdesk.config import DataPaths
from qzdesk.services import crashpoints
from qzdesk.services.errors import QzdeskError
from qzdesk.services.files import fsync_dir, write_atomically

log = logging.getLogger(__name__)

MANIFEST = "switch.json"
STAGED = ".switch.part"


def staged(final: Path) -> Path:
    return final.with_name(final.name + STAGED)


def _manifest(paths: DataPaths) -> Path:
    return paths.keys / MANIFEST


def decide(paths: DataPaths, finals: Sequence[Path]) -> None:
    """Every staged file is written and synced: from here the switch happens, now or at
    the next start."""
    for final in finals:
        if not staged(final).is_file():
            raise QzdeskError(f"内部错误：{staged(final).name} 尚未写好，未做任何改动。")
    names = [str(final.resolve().relative_to(paths.root.resolve())) for final in finals]
    write_atomically(_manifest(paths), json.dumps({"files": names}).encode())
    crashpoints.reached("switch-decided")


def finish(paths: DataPaths) -> bool:
    """Rename what a decided switch staged (the caller holds the directory's lock);
    returns whether there was one. Safe to repeat: a file already moved is skipped."""
    manifest = _manifest(paths)
    try:
        names = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    except FileNotFoundError:
        return False
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise QzdeskError(
            f"{manifest} 无法读取，上次更换数据文件或密钥的操作没有完成。"
            "请不要删除 keys 文件夹中的任何文件，复制整个数据目录后联系技术支持。"
        ) from exc
    root = paths.root.resolve()
    for name in names:
        final = (root / name).resolve()
        if root not in final.parents:
            raise QzdeskError(f"{manifest} 中的文件 {name} 不在数据目录内，已拒绝。")
        if not staged(final).exists():
            continue  # moved before the interruption
        if final == paths.database.resolve():
            # The old file's journal belongs to it alone; its content is in the staged
            # copy, which was made from a read that included it.
            for leftover in ("-wal", "-shm"):
                Path(f"{final}{leftover}").unlink(missing_ok=True)
        os.replace(staged(final), final)
        fsync_dir(final.parent)
        crashpoints.reached("switch-renamed")
    manifest.unlink()
    fsync_dir(manifest.parent)
    log.info("finished switching %s", ", ".join(names))
    return True
