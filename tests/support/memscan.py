"""Read another process's memory through /proc/PID/maps and /proc/PID/mem (Linux; root, or
a parent allowed to ptrace it) and count where given byte strings occur."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


@dataclass
class Hits:
    """Occurrences of each needle: the mapping (its name, start and size) and the offset."""

    found: dict[str, list[tuple[str, int, int, int]]] = field(default_factory=dict)
    scanned_bytes: int = 0

    def count(self, name: str) -> int:
        return len(self.found.get(name, []))

    def where(self, name: str) -> list[str]:
        return [
            f"{region} {size // 1024} KiB at 0x{start:x} +0x{offset:x}"
            for region, start, size, offset in self.found.get(name, [])
        ]


def regions(pid: int) -> list[tuple[int, int, str, str]]:
    """(start, end, perms, name) of every mapping that could hold runtime data: readable, and
    anonymous or writable (a library's read-only text cannot hold a secret made at run time)."""
    out = []
    with open(f"/proc/{pid}/maps", encoding="ascii") as maps:
        for line in maps:
            parts = line.split(maxsplit=5)
            span, perms = parts[0], parts[1]
            name = parts[5].strip() if len(parts) > 5 else "[anon]"
            if "r" not in perms or name in ("[vvar]", "[vsyscall]", "[vvar_vclock]"):
                continue
            if not name.startswith("[") and "w" not in perms and not name.startswith("/memfd"):
                continue
            start, end = (int(x, 16) for x in span.split("-"))
            out.append((start, end, perms, name))
    return out


def scan(pid: int, needles: dict[str, bytes], chunk: int = 8 << 20) -> Hits:
    """Every occurrence of every needle in the process's data mappings."""
    hits = Hits({name: [] for name in needles})
    longest = max(len(n) for n in needles.values())
    fd = os.open(f"/proc/{pid}/mem", os.O_RDONLY)
    try:
        for start, end, _perms, name in regions(pid):
            offset = start
            tail = b""
            while offset < end:
                size = min(chunk, end - offset)
                try:
                    data = os.pread(fd, size, offset)
                except OSError:
                    break  # a guard page or a mapping that went away
                hits.scanned_bytes += len(data)
                window = tail + data
                base = offset - len(tail)
                for key, needle in needles.items():
                    i = window.find(needle)
                    while i >= 0:
                        if i + len(needle) > len(tail):  # not already counted in the tail
                            hits.found[key].append((name, start, end - start, base + i - start))
                        i = window.find(needle, i + 1)
                tail = window[-(longest - 1) :] if longest > 1 else b""
                offset += len(data)
                if not data:
                    break
    finally:
        os.close(fd)
    return hits


def encodings(text: str) -> dict[str, bytes]:
    """The forms a string takes in Python (latin-1/UCS-2/UCS-4 by width), Qt (UTF-16) and C
    (UTF-8)."""
    forms = {
        "utf-8": text.encode("utf-8"),
        "utf-16le": text.encode("utf-16-le"),
        "utf-32le": text.encode("utf-32-le"),
    }
    return forms
