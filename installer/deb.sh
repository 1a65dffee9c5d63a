#!/usr/bin/env bash
# Package the onedir bundle as a .deb in the layout 统信 UOS's app store and 麒麟 Kylin
# expect (/opt/apps/<appid>/files, entries/applications, entries/icons, info), with a
# launcher in /usr/bin. No maintainer scripts: nothing touches a user's data.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(python3 -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])")
appid=cn.org.qzdesk
# The package claims what the bundle needs, never less: a bundle built on Debian 12 needs
# glibc 2.36 and must not install on UOS 20 (2.28) only to fail at start.
glibc=$(bash installer/glibc.sh)
stage=build/deb
rm -rf "$stage"
app="$stage/opt/apps/$appid"
mkdir -p "$app/files" "$app/entries/applications" "$app/entries/icons/hicolor/256x256/apps" \
    "$stage/usr/bin" "$stage/DEBIAN"
cp -a dist/qzdesk/. "$app/files/"
cp resources/icons/qzdesk.png "$app/entries/icons/hicolor/256x256/apps/$appid.png"
cat > "$app/entries/applications/$appid.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=qzdesk
Name[zh_CN]=团支部工作台
Comment[zh_CN]=团员名册、发展团员、组织生活与签名台账
Exec=/opt/apps/$appid/files/qzdesk %F
Icon=$appid
Categories=Office;
Terminal=false
DESKTOP
cat > "$app/info" <<INFO
{"appid": "$appid", "name": "团支部工作台", "version": "$version", "arch": ["amd64"],
 "permissions": {"autostart": false, "notification": false, "trayicon": false,
                 "clipboard": true, "account": false, "bluetooth": false,
                 "camera": false, "audio_record": false, "installed_apps": false}}
INFO
ln -s "/opt/apps/$appid/files/qzdesk" "$stage/usr/bin/qzdesk"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: $appid
Version: $version
Architecture: amd64
Maintainer: qzdesk <qzdesk@localhost>
Depends: libc6 (>= $glibc), libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-render-util0, libxcb-shape0, libxcb-xinerama0, libxkbcommon-x11-0, libegl1, libfontconfig1, libdbus-1-3
Section: office
Priority: optional
Description: 团支部工作台 qzdesk
 Offline desktop application for grassroots Communist Youth League branch
 secretaries: roster, admission, meetings and signed PDF archives.
CONTROL
dpkg-deb --root-owner-group --build "$stage" "dist/qzdesk_${version}_amd64.deb" >/dev/null
tar -C dist -czf "dist/qzdesk_${version}_linux_x86_64.tar.gz" qzdesk
echo "dist/qzdesk_${version}_amd64.deb"
