"""Files that are not what they claim, or made to exhaust the PC: each is a clear refusal
(exit 2) or a row's error (exit 3), in bounded memory and time, never a traceback."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from qzdesk.services.members.idcard import check_char

MEMORY_LIMIT = 1024 * 2**20  # address space for the whole interpreter, libraries included


def rid(born: str, order: int) -> str:
    first17 = f"620502{born}{order:03d}"
    return first17 + check_char(first17)


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def dry_run(data_dir: Path, path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QZDESK_")}
    env["QZDESK_PASSWORD"] = "qzdemo"
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "qzdesk",
            "members",
            "import",
            str(path),
            "--dry-run",
            "--data",
            str(data_dir),
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
        preexec_fn=limited,
    )


def zip_bomb(path: Path) -> None:
    """A valid-looking .xlsx whose one sheet unpacks to 400 MB of blank rows."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"<row/>" * (2**20 // 6)
            for _ in range(400):
                sheet.write(chunk)


def huge_sheet(path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write("姓名,身份证号,入团年月\n")
        line = f"张三,{rid('20090402', 17)},2024-05\n"
        out.write(line * 100_001)


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("bomb.xlsx", zip_bomb, "不像是一份名册"),
        ("huge.csv", huge_sheet, "超过 100000 行"),
        ("big.csv", lambda p: p.write_bytes(b"x" * (65 * 2**20)), "超过导入上限 64 MB"),
        ("fifo.csv", lambda p: os.mkfifo(p), "不是普通文件"),
        ("zero.csv", lambda p: p.symlink_to("/dev/zero"), "不是普通文件"),
    ],
)
def test_a_hostile_file_is_refused_in_bounded_memory(data_dir, tmp_path, name, make, expected):
    path = tmp_path / name
    make(path)
    result = dry_run(data_dir, path)
    assert result.returncode == 2, result.stderr[-500:]
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_bad_cells_are_their_rows_errors_and_utf16_is_read(data_dir, tmp_path):
    rows = [
        "姓名\t身份证号\t入团年月\t团员编号",
        f"刘备\t{rid('20090402', 17)}\t2024-05\t202462058851",
        f"关羽\t{rid('20090612', 27)}\t9999-12\t",  # a join month far in the future
        f"张\u202e飞\t{rid('20090817', 37)}\t2024-05\t202462058853",  # text turned around
        f"{'长' * 5000}\t{rid('20090917', 47)}\t2024-05\t202462058854",
    ]
    path = tmp_path / "Unicode 文本.txt"
    path.write_bytes("\r\n".join(rows).encode("utf-16"))  # Excel's "Unicode 文本": BOM, tabs
    result = dry_run(data_dir, path)
    assert result.returncode == 3, result.stderr[-500:]
    out = result.stdout
    assert "共 4 行：可导入 1，有错误 3" in out
    assert "入团年月 9999-12 晚于今天" in out
    assert "姓名中有看不见的控制字符（U+202E）" in out
    assert "内容过长（5000 字，最多 2000 字）" in out
