"""How many times any process read a file: Linux inotify on the file's folder, counting
`IN_CLOSE_NOWRITE` events (a file opened without write access, then closed) for its name.

Counted by the kernel, for every process (the bot runs in processes of its own), with nothing
of the bot's replaced. Opens are watched too, though not counted: the kernel merges an event
into the one before it when the two are alike and unread, so two reads in a row would count as
one; with each read's open between them, no two events in a row are alike.

The folder is watched rather than the file so that an edit made the way editors and config
tools make it (write a new file, rename it over the old one) keeps being counted; the test's
own writes are `IN_CLOSE_WRITE` and are not reads.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import struct
from pathlib import Path

IN_CLOSE_NOWRITE = 0x00000010
IN_OPEN = 0x00000020
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then `len` bytes of name


class FileReads:
    def __init__(self, path: Path) -> None:
        self.name = path.name.encode()
        self._libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self._fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self._fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1")
        if self._libc.inotify_add_watch(self._fd, str(path.parent).encode(),
                                        IN_OPEN | IN_CLOSE_NOWRITE) < 0:
            raise OSError(ctypes.get_errno(), f"inotify_add_watch {path.parent}")
        self._count = 0

    def count(self) -> int:
        """Reads of the file so far (since this object was made)."""
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return self._count
            offset = 0
            while offset < len(data):
                _wd, mask, _cookie, size = _EVENT.unpack_from(data, offset)
                name = data[offset + _EVENT.size:offset + _EVENT.size + size].rstrip(b"\0")
                offset += _EVENT.size + size
                if mask & IN_CLOSE_NOWRITE and name == self.name:
                    self._count += 1

    def close(self) -> None:
        os.close(self._fd)

    def __enter__(self) -> FileReads:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def replace_text(path: Path, text: str) -> None:
    """Edit a file the way an editor or a config tool does: the new text lands whole, so a
    reader sees the old file or the new one, never half of it."""
    staged = path.with_name(path.name + ".new")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, path)
