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
echo "frozen bundle and package: 通过"
