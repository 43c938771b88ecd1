"""Reading files and standard input the user names, bounded (issue 14).

Anything the user points the program at may be hostile or simply wrong: a named pipe that
never ends (or never starts: opening a FIFO waits for a writer), ``/dev/zero``, a folder, a
sparse file of many gigabytes. Every such read goes through here:

- the path is opened with ``O_NONBLOCK`` (a FIFO without a writer does not wait) and
  ``fstat`` decides: anything but a regular file is refused before one byte is read;
- the size is checked against the caller's limit before reading, and at most limit + 1 bytes
  are read even if the file grows meanwhile;
- standard input is read up to limit + 1 characters, never to its end.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TextIO

from assister_log.errors import BadInput, from_os_error

CHUNK = 1 << 20
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_FLAGS = (
    os.O_RDONLY
    | _NONBLOCK
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not an ordinary file"


def not_regular(path: Path, mode: int) -> BadInput:
    return BadInput(
        f"Cannot read {path.name or path}: it is {_kind(mode)}, not an ordinary file; "
        "choose an ordinary file."
    )


def open_regular(path: Path, what: str) -> tuple[BinaryIO, int]:
    """An unbuffered handle on ``path`` and its size, only if it is a regular file."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as error:
        raise from_os_error(error, what, reading=True) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise not_regular(path, info.st_mode)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", buffering=0), info.st_size
    except OSError as error:
        os.close(fd)
        raise from_os_error(error, what, reading=True) from None
    except BaseException:
        os.close(fd)
        raise


def check_regular(path: Path, limit: int, what: str, too_big: Callable[[int], str]) -> int:
    """Refuse a non-regular or too large file without reading it; returns its size."""
    handle, size = open_regular(path, what)
    handle.close()
    if size > limit:
        raise BadInput(too_big(size))
    return size


def read_at_most(handle: BinaryIO, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes (one more than allowed tells the caller it was too much)."""
    chunks: list[bytes] = []
    left = limit + 1
    while left > 0:
        chunk = handle.read(min(CHUNK, left))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_regular(path: Path, limit: int, what: str, too_big: Callable[[int], str]) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else BadInput (nothing read
    beyond limit + 1 bytes, and nothing at all when the size already says too much)."""
    handle, size = open_regular(path, what)
    with handle:
        if size > limit:
            raise BadInput(too_big(size))
        try:
            data = read_at_most(handle, limit)
        except OSError as error:
            raise from_os_error(error, what, reading=True) from None
    if len(data) > limit:  # it grew while being read
        raise BadInput(too_big(len(data)))
    return data


def read_text_stream(stream: TextIO, limit: int, too_big: Callable[[int], str]) -> str:
    """Text from ``stream`` (standard input) of at most ``limit`` bytes in UTF-8."""
    try:
        text = stream.read(limit + 1)  # characters; each is at least one byte
    except UnicodeDecodeError:
        raise BadInput(
            "Standard input is not UTF-8 text: save it as UTF-8 and try again."
        ) from None
    except OSError as error:
        raise from_os_error(error, "standard input", reading=True) from None
    if len(text) > limit:
        raise BadInput(too_big(len(text)))
    try:
        size = len(text.encode("utf-8", "surrogatepass"))
    except UnicodeEncodeError:  # pragma: no cover - surrogatepass encodes every str
        size = limit + 1
    if size > limit:
        raise BadInput(too_big(size))
    return text


def read_text_arg(
    name: str, limit: int, what: str, stdin: TextIO, *, used_stdin: list[bool] | None = None
) -> str:
    """Text for a ``--…-file`` option: ``-`` is standard input, else a regular UTF-8 file.
    A single final line break (what editors add) is dropped."""

    def too_big(size: int) -> str:
        return f"The {what} is {size:,} bytes or more; it may be at most {limit:,} bytes."

    if name == "-":
        if used_stdin is not None:
            if any(used_stdin):
                raise BadInput("Only one option can read standard input (-); use a file.")
            used_stdin.append(True)
        text = read_text_stream(stdin, limit, too_big)
    else:
        path = Path(name).expanduser()
        raw = read_regular(path, limit, f"the file {path.name}", too_big)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadInput(
                f"{path.name} is not UTF-8 text: save it as UTF-8 and try again."
            ) from None
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith("\n"):
        return text[:-1]
    return text
