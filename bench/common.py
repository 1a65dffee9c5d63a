"""What the benchmarks share: a demo data directory of a given size, unlocked, and the
switch that runs every figure again on a plain (unencrypted) copy of the same data, so
`make bench` reports what encryption costs (bench/encryption.py compares the two)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from qzdesk.config import DataPaths
from qzdesk.services.security import auth, branch_key
from qzdesk.services.storage import cipher
from qzdesk.services.storage.store import Store

PASSWORD = "qzdemo"
LOAD_LIMIT = 0.5  # the one-minute load average a figure may be taken on
ANY_LOAD = os.environ.get("QZDESK_BENCH_ANY_LOAD") == "1"  # a trial run: figures not kept
PLAIN = os.environ.get("QZDESK_BENCH_PLAIN") == "1"
RESULTS = Path(__file__).parent / "results"


def results(name: str) -> Path:
    return RESULTS / f"{name}{'-plain' if PLAIN else ''}.json"


def demo(data: Path, members: int | None = None) -> None:
    command = [sys.executable, "-m", "qzdesk", "demo", "--data", str(data)]
    if members is not None:
        command += ["--members", str(members)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    prepare(data)


def prepare(data: Path) -> None:
    """Unlock the store for this process; for the plain run, decrypt it in place."""
    paths = DataPaths(data)
    assert auth.login(paths, PASSWORD).ok
    if PLAIN:
        decrypt(paths)


def decrypt(paths: DataPaths) -> None:
    """A plain copy in place of the encrypted file. The signing key, kept under a secret
    derived from the data key, is re-saved under the password's (as before encryption)."""
    with Store.open(paths.root, "bench") as store:
        key, cert = branch_key.load_key(store, PASSWORD)
    bundle = branch_key._bundle(key, cert, branch_key._secrets_of_password(PASSWORD)[0])
    plain = paths.database.with_name("plain.sqlite")
    conn = cipher.connect(paths.database)
    try:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(plain),))
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{paths.database}{suffix}").unlink(missing_ok=True)
    os.replace(plain, paths.database)
    cipher.store_key_file(paths).unlink()
    assert cipher.is_plain(paths.database)
    (paths.keys / branch_key.KEY_FILE).write_bytes(bundle)


def connect(db: Path, **options: object) -> cipher.Connection:
    """The bare library on the same file, keyed like the app's connections."""
    conn = cipher.connect(db)
    if "isolation_level" in options:
        conn.isolation_level = options["isolation_level"]  # type: ignore[assignment]
    return conn


def begin(patience_s: float = 300) -> float:
    """The load before a bench. The one before it leaves the machine busy for a minute:
    wait for it to settle (up to `patience_s`); still above the limit, the figures would
    not compare with others, so refuse (exit 3) unless QZDESK_BENCH_ANY_LOAD=1 asks for a
    trial run, whose figures are then printed but not recorded."""
    waited = 0.0
    while (load := os.getloadavg()[0]) > LOAD_LIMIT and not ANY_LOAD and waited < patience_s:
        time.sleep(10)
        waited += 10
    print(
        f"load average before: {load:.2f}" + (f" (after {waited:.0f} s settling)" if waited else "")
    )
    if load > LOAD_LIMIT and not ANY_LOAD:
        print(
            f"the machine is busy (load {load:.2f} > {LOAD_LIMIT}): figures taken now would "
            "not compare; wait for a quiet machine or set QZDESK_BENCH_ANY_LOAD=1 for a trial"
        )
        sys.exit(3)
    return load


def record(path: Path, result: dict[str, object], load_before: float) -> None:
    """The figures with the commit measured and the load around them; a trial run on a
    busy machine prints them only."""
    load_after = os.getloadavg()[0]
    print(f"load average after: {load_after:.2f}")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
    ).stdout.strip()
    kept = {**result, "commit": commit, "load_before": load_before, "load_after": load_after}
    if load_before > LOAD_LIMIT:
        print("trial run on a busy machine: not recorded")
        return
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(kept, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
