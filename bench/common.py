"""What the benchmarks share: a demo data directory of a given size, unlocked, and the
switch that runs every figure again on a plain (unencrypted) copy of the same data, so
`make bench` reports what encryption costs (bench/encryption.py compares the two)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from qzdesk.config import DataPaths
from qzdesk.services.security import auth, branch_key
from qzdesk.services.storage import cipher
from qzdesk.services.storage.store import Store

PASSWORD = "qzdemo"
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
