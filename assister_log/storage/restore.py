"""Restoring a backup into a new folder: it completes, or leaves the target as it was.

The backup is checked (a regular file, its header and layout) before anything is written,
then unpacked in a streaming way (memory stays at one chunk) into a scratch folder beside
the target, opened there with the
user's secret and brought up to date exactly as opening a vault does (``migration``),
verified, and only then renamed into place.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from assister_log.errors import BadInput, CorruptVault, VaultExists, from_os_error
from assister_log.storage import atomic, migration, queries, verification
from assister_log.storage.backup import read_header, scratch_beside, unpack_file
from assister_log.storage.opening import unlock_with
from assister_log.storage.store import LOCK_FILE, is_vault_dir


def restore_backup(path: Path, target: Path, secret: str) -> int:
    """Restore into ``target`` (absent or empty). Completes, or leaves the target as it was."""
    target = target.expanduser()
    if target.exists() and (is_vault_dir(target) or any(target.iterdir())):
        raise VaultExists(
            f"{target} is not empty: restore into a new folder (then switch to it with --vault)."
        )
    read_header(path)  # a pipe, device, folder or a file that is no backup: refused at once
    if not target.parent.is_dir():
        raise BadInput(f"The folder {target.parent} does not exist: create it first.")
    scratch = scratch_beside(target, "restoring")
    try:
        unpack_file(path, scratch)  # streaming, each part checked against its hash
        with migration.open_upgraded(scratch, unlock_with(secret)) as restored:
            problems = verification.verify(restored)
            records = queries.record_count(restored)
        if problems:
            raise CorruptVault(f"The backup does not verify: {problems[0]}; nothing was restored.")
        (scratch / LOCK_FILE).unlink(missing_ok=True)
        if target.exists() and os.name != "posix":
            target.rmdir()  # empty, checked above
        # On POSIX the rename replaces an empty target folder in one step: a crash leaves
        # the empty folder or the restored vault, never neither.
        os.replace(scratch, target)
        atomic.fsync_dir(target.parent)
    except OSError as error:
        raise from_os_error(error, "the restored vault") from None
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)
    return records
