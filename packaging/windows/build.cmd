@echo off
rem Windows: bundle, smoke test of the built program, installer. Run from any folder, with
rem Python 3.11 (x64) and Inno Setup 6 installed (ISCC.exe on PATH or in its default folder):
rem   py -3.11 -m venv .venv && .venv\Scripts\pip install -e . "pyinstaller>=6.10"
rem   packaging\windows\build.cmd
rem Output: dist\assister-log\ (the one-folder bundle),
rem         dist\assister-log-<version>-windows-x64-setup.exe (per-user installer, no admin) and
rem         dist\assister-log-<version>-windows-x64-portable.zip (USB stick, portable mode)
setlocal
cd /d "%~dp0\..\.."
set PYTHON=.venv\Scripts\python.exe
if not exist "%PYTHON%" (echo build.cmd: run the venv set-up above first & exit /b 1)

"%PYTHON%" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller packaging\assister-log.spec || exit /b 1
set /p VERSION=<dist\assister-log\VERSION

rem The built program, not the source tree (the console twin prints; the GUI exe has no console).
dist\assister-log\assister-log-cli.exe --version || exit /b 1
set QT_QPA_PLATFORM=offscreen
dist\assister-log\assister-log-cli.exe --smoke-test || exit /b 1
set QT_QPA_PLATFORM=

set ISCC=ISCC.exe
where %ISCC% >nul 2>nul || set ISCC="%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe"
%ISCC% /Q packaging\windows\assister-log.iss || exit /b 1
echo Built dist\assister-log-%VERSION%-windows-x64-setup.exe

rem Portable zip for a USB stick: the same folder with the portable.txt marker (vault kept in
rem a "vault" folder beside assister-log.exe).
set STAGE=build\portable\Assister Log
if exist build\portable rmdir /s /q build\portable
xcopy /e /i /q dist\assister-log "%STAGE%" >nul || exit /b 1
type nul > "%STAGE%\portable.txt"
powershell -NoProfile -Command "Compress-Archive -Force -Path 'build\portable\Assister Log' -DestinationPath 'dist\assister-log-%VERSION%-windows-x64-portable.zip'" || exit /b 1
echo Built dist\assister-log-%VERSION%-windows-x64-portable.zip
