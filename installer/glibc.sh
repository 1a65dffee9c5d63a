#!/usr/bin/env bash
# The highest GLIBC symbol version anything in the onedir bundle needs: the oldest glibc
# (so the oldest UOS/Kylin) the bundle runs on. Prints e.g. 2.36.
set -euo pipefail
cd "$(dirname "$0")/.."
find dist/qzdesk -type f \( -name '*.so*' -o -name qzdesk \) -exec objdump -T {} + 2>/dev/null \
  | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -Vu | tail -1
