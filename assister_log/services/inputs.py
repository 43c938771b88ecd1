"""What the command line reads from the user's files and standard input, bounded (issue 14),
and the vault-folder permission check: the CLI reaches storage only through services."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from assister_log.services.session import MAX_JSON_BYTES
from assister_log.storage import opening, safe_read
from assister_log.storage.attachments import MAX_ATTACHMENT_BYTES, attachment_too_big

__all__ = ["MAX_JSON_BYTES", "check_attachment", "exposure_warning", "json_from_stdin", "text_arg"]


def check_attachment(path: Path) -> None:
    """Refuse a pipe, device, folder or too large file without reading it."""
    safe_read.check_regular(path, MAX_ATTACHMENT_BYTES, f"the file {path.name}", attachment_too_big)


def json_from_stdin(stream: TextIO) -> str:
    """A record from standard input: at most MAX_JSON_BYTES, never read to its end."""

    def too_big(size: int) -> str:
        return (
            f"Standard input holds more than {MAX_JSON_BYTES // 1_000_000} MB; "
            "a record file is at most that."
        )

    return safe_read.read_text_stream(stream, MAX_JSON_BYTES, too_big)


def text_arg(
    name: str, limit: int, what: str, stdin: TextIO, used_stdin: list[bool] | None = None
) -> str:
    """The text of a ``--…-file`` option (``-``: standard input), bounded."""
    return safe_read.read_text_arg(name, limit, what, stdin, used_stdin=used_stdin)


def exposure_warning(folder: Path) -> str | None:
    return opening.exposure_warning(folder)
