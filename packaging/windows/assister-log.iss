; Inno Setup 6 script: a per-user installer for Assister Log (no administrator rights).
;
; Build on Windows with packaging\windows\build.cmd (bundle, smoke test, then this script), or
; by hand from the repository root:
;   .venv\Scripts\python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\assister-log.spec
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" packaging\windows\assister-log.iss
; AppVersion is read from dist\assister-log\VERSION (written by the spec); /DAppVersion=X.Y.Z
; overrides it. Output: dist\assister-log-<version>-windows-x64-setup.exe
;
; The uninstaller removes the program only: the vault (the user's records) lives in
; %LOCALAPPDATA%\AssisterLog\vault, or in a "vault" folder next to the program in portable
; mode, and is left in place; the uninstaller says so and where.

#ifndef BundleDir
  #define BundleDir "..\..\dist\assister-log"
#endif
#ifndef AppVersion
  #define VersionFile FileOpen(AddBackslash(SourcePath) + BundleDir + "\VERSION")
  #if VersionFile == 0
    #error Pass /DAppVersion=X.Y.Z or build the bundle first (dist\assister-log\VERSION is missing)
  #endif
  #define AppVersion Trim(FileRead(VersionFile))
  #expr FileClose(VersionFile)
#endif
#define AppName "Assister Log"
#define AppExe "assister-log.exe"
#define AppPublisher "Assister Log"

[Setup]
; AppId identifies the program for updates and uninstall: never change it.
AppId={{AC4393B6-1DA1-45B7-B1D0-63431A5BD369}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per user, no UAC prompt: installs to %LOCALAPPDATA%\Programs\Assister Log
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=assister-log-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\assister-log.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
english:VaultKept=Assister Log was removed, but your records were NOT deleted.%n%nYour vault was left in place:%n%1%n%nIt opens again if you reinstall Assister Log. Delete that folder yourself only when you no longer need the records and have a backup.
english:PortableVaultKept=%n%nA portable vault was also found next to the program and left in place:%n%1

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: assister-log.exe (the desktop app), assister-log-cli.exe (the
; command line, e.g. assister-log-cli.exe --smoke-test), _internal\ (libraries and resources).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An update replaces the old bundle's libraries (names change between versions).
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Document ended interactions in an encrypted vault"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; Nothing in [UninstallDelete]: files the program made (the vault, crash reports) stay.

[Code]
var
  PortableVault: String;

function DefaultVaultDir(): String;
begin
  Result := ExpandConstant('{localappdata}\AssisterLog\vault');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Text: String;
begin
  if CurUninstallStep = usUninstall then
  begin
    { look before the program files go: a portable vault lives in the program folder }
    PortableVault := ExpandConstant('{app}\vault');
    if not DirExists(PortableVault) then
      PortableVault := '';
  end;
  if CurUninstallStep = usPostUninstall then
  begin
    Text := FmtMessage(CustomMessage('VaultKept'), [DefaultVaultDir()]);
    if PortableVault <> '' then
      Text := Text + FmtMessage(CustomMessage('PortableVaultKept'), [PortableVault]);
    SuppressibleMsgBox(Text, mbInformation, MB_OK, IDOK);
  end;
end;
