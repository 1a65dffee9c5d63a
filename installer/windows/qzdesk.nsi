; qzdesk's Windows installer: per user, no administrator rights, Chinese pages.
; Built on Windows from the PyInstaller onedir (installer/windows/build.md):
;   makensis /DVERSION=0.1.0 /DPAYLOAD=..\..\dist\qzdesk installer\windows\qzdesk.nsi
; CI on Linux compiles it against the Linux onedir as a stand-in payload
; (/DEXE=qzdesk /DCHECK), which proves the script valid; that file is not shipped.

Unicode true
!include "MUI2.nsh"
!include "WinVer.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"

!ifndef VERSION
  !error "pass /DVERSION=x.y.z (pyproject.toml's version)"
!endif
!if "${VERSION}" == ""
  !error "VERSION is empty"
!endif
!ifndef PAYLOAD
  !error "pass /DPAYLOAD=the PyInstaller onedir (dist\qzdesk)"
!endif
!ifndef EXE
  !define EXE "qzdesk.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "qzdesk-${VERSION}-setup.exe"
!endif

!define APPNAME "团支部工作台"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\qzdesk"
; platformdirs.user_data_dir("qzdesk", appauthor=False) on Windows: kept on uninstall.
!define DATA_DIR "$LOCALAPPDATA\qzdesk"
; Qt 6.8 supports Windows 10 1809 (build 17763) and later only.
!define MIN_BUILD 17763

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\qzdesk"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel user
!ifdef CHECK
  SetCompress off  ; the stand-in payload only proves the script compiles
!else
  SetCompressor /SOLID lzma
!endif
BrandingText "qzdesk ${VERSION}"

!define MUI_ICON "..\..\resources\icons\qzdesk.ico"
!define MUI_UNICON "..\..\resources\icons\qzdesk.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在打开团支部工作台"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "团支部工作台需要 64 位的 Windows 10（1809 版）或 Windows 11。$\r$\n这台电脑是 32 位系统，无法安装。"
    Abort
  ${EndIf}
  ${WinVerGetBuild} $0
  ${If} ${AtMostWin8.1}
  ${OrIf} $0 < ${MIN_BUILD}
    MessageBox MB_ICONSTOP "团支部工作台需要 Windows 10（1809 版，内部版本 ${MIN_BUILD}）或更新的系统。$\r$\n这台电脑的系统版本过旧（内部版本 $0），请先升级 Windows。"
    Abort
  ${EndIf}
FunctionEnd

Section "install"
  SetOutPath "$INSTDIR"
  ; An older version's files go first: a stale DLL beside a new one breaks Qt.
  RMDir /r "$INSTDIR\_internal"
  File /r "${PAYLOAD}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\${EXE}"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "qzdesk"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "uninstall"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ; The secretary's records are never removed with the program.
  MessageBox MB_ICONINFORMATION "团支部工作台已卸载。$\r$\n团员名册、会议记录、台账和备份等数据仍保留在：$\r$\n${DATA_DIR}$\r$\n重新安装后会继续使用这些数据；如需换电脑，请先在程序中备份到U盘。"
SectionEnd
