; The command line tool on Windows: a shim in the user's WindowsApps folder, which Windows keeps on
; every user's PATH, so no administrator and no PATH editing are needed. Removed on uninstall.
!macro customInstall
  CreateDirectory "$LOCALAPPDATA\Microsoft\WindowsApps"
  FileOpen $0 "$LOCALAPPDATA\Microsoft\WindowsApps\twelvelabs-uploader.cmd" w
  FileWrite $0 '@"$INSTDIR\twelvelabs-uploader.exe" %*$\r$\n'
  FileClose $0
!macroend

!macro customUnInstall
  Delete "$LOCALAPPDATA\Microsoft\WindowsApps\twelvelabs-uploader.cmd"
!macroend
