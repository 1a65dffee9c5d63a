"""What encryption at rest costs: every figure `make bench` measured on the encrypted
store, divided by the same figure measured on a plain copy of the same data in the same
run (QZDESK_BENCH_PLAIN=1). Results go to bench/results/encryption.json."""

from __future__ import annotations

import json
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
# startup has no plain counterpart: signing in converts a plain file.
BENCHES = ("roster", "archive", "admission", "meetings")
TIMES = ("_s", "_ms")  # figures that are durations (the ratios to bare libraries are not)


def main() -> None:
    compared: dict[str, dict[str, object]] = {}
    for name in BENCHES:
        encrypted = json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
        plain = json.loads((RESULTS / f"{name}-plain.json").read_text(encoding="utf-8"))
        for key, value in encrypted.items():
            other = plain.get(key)
            timed = key.endswith(TIMES) and not key.endswith("per_s")  # a rate is not a time
            if timed and isinstance(value, int | float) and other:
                compared[f"{name}.{key}"] = {
                    "encrypted": value,
                    "plain": other,
                    "ratio": round(value / other, 2),
                }
    (RESULTS / "encryption.json").write_text(json.dumps(compared, indent=2) + "\n")
    for key, figures in compared.items():
        print(f"{key}: {figures['encrypted']} vs {figures['plain']} plain = {figures['ratio']}×")


if __name__ == "__main__":
    main()
