"""Atomic writes: a full disk or an unwritable target leaves no partial file, and says so."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qzdesk.services.errors import QzdeskError
from qzdesk.services.files import write_atomically


def test_a_good_write_leaves_exactly_the_file(tmp_path):
    target = tmp_path / "台账.pdf"
    write_atomically(target, b"%PDF" + b"x" * 1000)
    assert target.read_bytes().startswith(b"%PDF") and [p.name for p in tmp_path.iterdir()] == [
        "台账.pdf"
    ]


def test_a_full_disk_leaves_no_partial_file(tmp_path):
    """RLIMIT_FSIZE makes the kernel refuse to grow the file, as a full stick would."""
    script = textwrap.dedent(
        f"""
        import resource, signal
        from pathlib import Path
        from qzdesk.services.errors import QzdeskError
        from qzdesk.services.files import write_atomically
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
        try:
            write_atomically(Path({str(tmp_path / "台账.pdf")!r}), b"x" * 200_000)
        except QzdeskError as error:
            print(error)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "无法写入" in result.stdout and "磁盘" in result.stdout, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_place_is_a_clear_message():
    with pytest.raises(QzdeskError, match=r"无法写入 /proc/qzdesk/台账\.pdf"):
        write_atomically(Path("/proc/qzdesk/台账.pdf"), b"x")
