"""The command line as the district office scripts it: exit codes and messages."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from qzdesk import __version__
from qzdesk.services.storage import cipher
from qzdesk.services.storage.revisions import SCHEMA_HEAD

DEMO = {"QZDESK_PASSWORD": "qzdemo"}


def qzdesk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("QZDESK_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "qzdesk", *args],
        capture_output=True,
        text=True,
        env=full_env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


def test_version():
    result = qzdesk("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"qzdesk {__version__}"


def test_demo_builds_once_and_prints_the_password(tmp_path):
    data = tmp_path / "demo"
    first = qzdesk("demo", "--data", str(data))
    assert first.returncode == 0, first.stderr
    assert "qzdemo" in first.stdout and "秦州区示范中学团委" in first.stdout
    again = qzdesk("--data", str(data), "demo")
    assert again.returncode == 2
    assert "已有数据" in again.stderr


def test_check_on_a_healthy_file(data_dir):
    result = qzdesk("check", "--data", str(data_dir), "--json", env=DEMO)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["healthy"] is True and report["revision"] == SCHEMA_HEAD


def test_check_on_a_truncated_file_fails(data_dir):
    db = data_dir / "qzdesk.sqlite"
    size = db.stat().st_size
    with open(db, "r+b") as handle:
        handle.truncate(size // 2)
    result = qzdesk("check", "--data", str(data_dir), env=DEMO)
    assert result.returncode == 4
    assert "结论：有问题" in result.stdout


def test_check_on_a_damaged_page_fails(data_dir):
    db = data_dir / "qzdesk.sqlite"
    with cipher.connect(db) as conn:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        root_page = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'"
        ).fetchone()[0]
    with open(db, "r+b") as handle:
        handle.seek((root_page - 1) * page_size)
        handle.write(b"\xff" * 64)
    result = qzdesk("check", "--data", str(data_dir), "--json", env=DEMO)
    assert result.returncode == 4
    assert json.loads(result.stdout)["healthy"] is False


def test_check_of_a_missing_file(tmp_path):
    result = qzdesk("check", "--data", str(tmp_path / "nothing"))
    assert result.returncode == 4 and "不存在" in result.stdout


def test_check_while_another_qzdesk_holds_the_directory(data_dir, lock_holder):
    holder = lock_holder(data_dir)
    result = qzdesk("check", "--data", str(data_dir), env=DEMO)
    assert result.returncode == 2
    assert "另一个 测试占用进程" in result.stderr and str(holder.pid) not in result.stderr


def test_init_from_options_and_environment(tmp_path):
    data = tmp_path / "school"
    result = qzdesk(
        "init",
        "--org-name",
        "秦州区第五中学团委",
        "--org-kind",
        "committee",
        "--sector",
        "middle_school",
        "--branch",
        "初三（1）班团支部",
        "--branch",
        "初三（2）班团支部",
        "--secretary",
        "王芳",
        "--parent-org",
        "共青团天水市秦州区委员会",
        "--json",
        env={"QZDESK_DATA": str(data), "QZDESK_PASSWORD": "tuanzhibu1"},
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["branches"] == ["初三（1）班团支部", "初三（2）班团支部"]
    assert "恢复码（只显示这一次" in result.stdout or json.loads(result.stdout)["recovery_code"]
    checked = qzdesk("check", "--data", str(data), env={"QZDESK_PASSWORD": "tuanzhibu1"})
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_init_without_a_password_or_a_terminal_explains(tmp_path):
    result = qzdesk(
        "init",
        "--data",
        str(tmp_path / "x"),
        "--org-name",
        "某村团支部",
        "--org-kind",
        "branch",
        "--sector",
        "village",
        "--secretary",
        "张三",
    )
    assert result.returncode == 2
    assert "QZDESK_PASSWORD" in result.stderr


def test_init_with_a_bad_answer_names_it(tmp_path):
    result = qzdesk(
        "init",
        "--data",
        str(tmp_path / "x"),
        "--org-name",
        "某中学团委",
        "--org-kind",
        "committee",
        "--sector",
        "middle_school",
        "--secretary",
        "张三",
        "--parent-org",
        "共青团天水市秦州区委员会",
        env={"QZDESK_PASSWORD": "tuanzhibu1"},
    )
    assert result.returncode == 2
    assert "请至少添加一个团支部" in result.stderr


def test_init_names_the_committee_above_or_refuses(tmp_path):
    """No district's committee is assumed: an archive is signed under the name given."""
    result = qzdesk(
        "init",
        "--data",
        str(tmp_path / "x"),
        "--org-name",
        "某村团支部",
        "--org-kind",
        "branch",
        "--sector",
        "village",
        "--secretary",
        "张三",
        env={"QZDESK_PASSWORD": "tuanzhibu1"},
    )
    assert result.returncode == 2
    assert "请填写上级团组织名称" in result.stderr


def test_usage_errors_exit_2():
    result = qzdesk("init", "--org-kind", "club")
    assert result.returncode == 2


def test_export_the_certificate_for_the_district(data_dir, tmp_path):
    result = qzdesk(
        "key",
        "export-cert",
        str(tmp_path / "branch.pem"),
        "--data",
        str(data_dir),
        "--json",
        env={"QZDESK_PASSWORD": "qzdemo"},
    )
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)["fingerprint"].split(":")) == 32
    assert (tmp_path / "branch.pem").read_text().startswith("-----BEGIN CERTIFICATE-----")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")
def test_what_qzdesk_creates_is_the_secretary_s_alone(tmp_path):
    data = tmp_path / "demo"
    assert qzdesk("demo", "--data", str(data)).returncode == 0
    created = [data, data / "qzdesk.sqlite", data / "keys", *(data / "keys").iterdir()]
    assert all(p.stat().st_mode & 0o077 == 0 for p in created), [
        (p.name, oct(p.stat().st_mode)) for p in created
    ]
