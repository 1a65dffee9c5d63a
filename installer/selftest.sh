#!/usr/bin/env bash
# The frozen bundle, run as a secretary's PC would: its own self-test (data, signed
# archive, Qt, PDF preview) and the packaged .deb's contents.
set -euo pipefail
cd "$(dirname "$0")/.."
QT_QPA_PLATFORM=offscreen ./dist/qzdesk/qzdesk selftest
deb=$(ls dist/qzdesk_*_amd64.deb)
contents=$(dpkg-deb --contents "$deb")
grep -q "opt/apps/cn.org.qzdesk/files/qzdesk$" <<<"$contents"
grep -q "entries/applications/cn.org.qzdesk.desktop" <<<"$contents"
grep -q "usr/bin/qzdesk -> /opt/apps/cn.org.qzdesk/files/qzdesk" <<<"$contents"
# Size budgets: the onedir and the package a secretary downloads.
onedir_mb=$(du -sm dist/qzdesk | cut -f1)
deb_mb=$(( $(stat -c %s "$deb") / 1048576 ))
echo "onedir ${onedir_mb} MB (budget 300), .deb ${deb_mb} MB (budget 120)"
(( onedir_mb <= 300 && deb_mb <= 120 ))
# The oldest glibc the bundle runs on, as the package declares it; a build meant for an
# older system (installer/linux.md) sets QZDESK_GLIBC_FLOOR and fails above it.
glibc=$(bash installer/glibc.sh)
echo "highest GLIBC symbol needed: $glibc${QZDESK_GLIBC_FLOOR:+ (floor $QZDESK_GLIBC_FLOOR)}"
dpkg-deb --field "$deb" Depends | grep -q "libc6 (>= $glibc)"
if [[ -n "${QZDESK_GLIBC_FLOOR:-}" ]]; then
  [[ "$(printf '%s\n' "$glibc" "$QZDESK_GLIBC_FLOOR" | sort -V | tail -1)" == "$QZDESK_GLIBC_FLOOR" ]]
fi
echo "frozen bundle and package: 通过"
