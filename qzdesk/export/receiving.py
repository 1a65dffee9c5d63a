"""Receiving a folder or a USB stick of archives: every PDF in it is verified (the
signature over the whole file, the signer registered and its key not ended for this file
(registry.Registration.judge),
the organisation named in the data the registered one, the data valid, the chain
continuing the organisation's previous archive), logged with its verdict, and an
accepted one filed under the data folder. A broken or hostile file is a line in the
report, never a crash."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from qzdesk.export.archive import verify_archive
from qzdesk.services import clock
from qzdesk.services.context import Context
from qzdesk.services.organisation.orgs import organisation_name
from qzdesk.services.receiving import receipts, registry
from qzdesk.services.security.sealed_files import write_sealed

MAX_BYTES = 100 * 1024 * 1024
Progress = Callable[[int, int], bool]

log = logging.getLogger(__name__)


@dataclass
class FileVerdict:
    path: Path
    accepted: bool
    reasons: list[str] = field(default_factory=list)
    org_name: str | None = None
    period_code: str | None = None
    archive_id: str | None = None
    duplicate_of: int | None = None  # an earlier receipt of the same file
    data: dict[str, Any] | None = None

    @property
    def label(self) -> str:
        if self.duplicate_of is not None:
            return f"重复（已于第 {self.duplicate_of} 号收件收到）"
        return "已收" if self.accepted else "拒收"


def archive_files(folder: Path) -> list[Path]:
    """Every file named *.pdf under `folder` (a USB stick's tree), in a stable order."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.suffix.lower() == ".pdf" and p.is_file() and not p.is_symlink()
    )


def _safe(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("._") or "未命名"


def receive_file(ctx: Context, path: Path) -> FileVerdict:
    verdict = FileVerdict(path, accepted=False)
    try:
        size = path.stat().st_size
        if size == 0:
            verdict.reasons.append("文件是空的")
        elif size > MAX_BYTES:
            verdict.reasons.append(f"文件过大（{size // 1024 // 1024} MB），不是 qzdesk 台账")
        content = path.read_bytes() if not verdict.reasons else b""
    except OSError as exc:
        verdict.reasons.append(f"无法读取：{exc.strerror}")
        return verdict
    sha256 = hashlib.sha256(content).hexdigest()
    if not verdict.reasons and not content.startswith(b"%PDF-"):
        verdict.reasons.append("不是 PDF 文件")
    if not verdict.reasons:
        earlier = receipts.already_received(ctx, sha256)
        if earlier is not None:
            return _duplicate(verdict, earlier, "同一文件")
        _judge(ctx, content, verdict)
        # The same signed archive whose bytes differ only outside what the signature
        # covers (the padding of its signature field): the same archive, not a new one.
        same = verdict.accepted and receipts.accepted_archive(ctx, verdict.archive_id or "")
        if same:
            return _duplicate(verdict, same, "同一台账（签名覆盖的内容相同）")
    if verdict.accepted:
        target = (
            ctx.store.paths.received
            / _safe(verdict.org_name or "")
            / (f"{verdict.period_code}-{verdict.archive_id}-{sha256[:8]}.pdf")
        )
        write_sealed(ctx.store, target, content)
        stored_as = str(target.relative_to(ctx.store.paths.root))
    else:
        stored_as = None
    receipts.record(
        ctx,
        path.name,
        sha256 if content else hashlib.sha256(path.name.encode()).hexdigest(),
        verdict.accepted,
        verdict.reasons,
        verdict.data if verdict.accepted else None,  # nothing from a rejected file
        stored_as,
    )
    return verdict


def _duplicate(verdict: FileVerdict, earlier: receipts.ReceiptRow, what: str) -> FileVerdict:
    verdict.duplicate_of = earlier.id
    verdict.accepted = earlier.accepted
    verdict.org_name, verdict.period_code = earlier.org_name, earlier.period_code
    verdict.archive_id = earlier.archive_id
    verdict.data = None
    verdict.reasons = [f"{what}已于 {earlier.received_at:%Y-%m-%d %H:%M} 收到"]
    return verdict


def _judge(ctx: Context, content: bytes, verdict: FileVerdict) -> None:
    known = registry.registrations(ctx)
    result = verify_archive(content, [r.certificate for r in known])
    if not result.ok:
        verdict.reasons += result.problems
        return
    data = result.data
    assert data is not None
    registration = next(r for r in known if r.fingerprint == result.fingerprint)
    # The signing moment's Beijing day: the registry's days are Beijing days (a file
    # signed at 06:00 Beijing is signed on that day, not on the UTC day before).
    signed_on = (
        result.signed_at.astimezone(clock.BEIJING).date() if result.signed_at else None
    ) or date.fromisoformat(data["generated_at"][:10])
    problems = []
    period_end = date.fromisoformat(data["period"]["end"])
    refusal, ended_note = registration.judge(period_end, signed_on, ctx.today)
    if refusal:
        problems.append(refusal)
    if data["branch"]["name"] != registration.org_name:
        problems.append(
            f"台账中的组织“{data['branch']['name']}”不是该证书登记的“{registration.org_name}”"
        )
    problems += _addressed_here(ctx, data, known)
    previous = receipts.latest_before(ctx, data["branch"]["name"], data["period"]["code"])
    broken, notes = receipts.continuity(previous, data)
    problems += broken
    verdict.org_name, verdict.period_code = data["branch"]["name"], data["period"]["code"]
    verdict.archive_id = data["archive_id"]
    if problems:
        verdict.reasons += problems
        return
    verdict.accepted = True
    verdict.reasons += [ended_note] * bool(ended_note) + notes
    verdict.data = data


def _addressed_here(
    ctx: Context, data: dict[str, Any], known: list[registry.Registration]
) -> list[str]:
    """The archive names as its parent this committee, or an organisation registered here
    (a committee below that handed on what it received): anything else was sent to the
    wrong committee."""
    parent, here = data["branch"]["parent"], organisation_name(ctx)
    below = {r.org_name for r in known}
    if parent == here or parent in below:
        return []
    return [
        f"台账写明的上级组织是“{parent}”，不是本单位“{here}”，也不是本单位登记的下级组织："
        "请核对是否送错了上级，或请该组织在“设置 → 组织”中改正上级团组织名称后重新签发"
    ]


def receive_folder(
    ctx: Context, folder: Path, progress: Progress | None = None
) -> list[FileVerdict]:
    """Receive every archive under `folder`; `progress(done, total)` may cancel between
    files (what was received so far stays received, each file being whole)."""
    files = archive_files(folder)
    verdicts = []
    for done, path in enumerate(files, start=1):
        try:
            verdicts.append(receive_file(ctx, path))
        except Exception:  # a hostile file must not stop the others
            log.warning("could not process %s", path.name, exc_info=True)
            verdicts.append(
                FileVerdict(path, False, ["无法处理：文件内容异常，不是完整的 qzdesk 台账"])
            )
        if progress and not progress(done, len(files)):
            break
    return verdicts
