"""Keep what is slow to compute from the knowledge base on disk, keyed by what it was computed from.

Loading and indexing 10,000 team entries takes seconds, and every process pays it: the web
server's workers, the worker, every CLI call. The result depends only on the entries' files and
on the code that reads them, so it is stored under a hash of both and read back by the next
process whose files and code hash the same. A changed, added or removed file, or a changed
module of the loader or the index, gives another key: nothing is ever read stale.

Safe across processes and users:

- a file is written whole under a temporary name, then renamed into place (atomic on POSIX):
  a reader sees the old file, the new one, or none, never half of one;
- it is a pickle, and a pickle can run code when read, so only a folder this user created
  (mode 0700, owned by this user) and files in it owned by this user are ever read; anything
  else is treated as no cache;
- any failure (no home folder, a full disk, a read-only file system, a file another process
  is replacing) means "compute it", never an error;
- only KB_CACHE_KEEP files per kind are kept, the most recently used.

The folder is `$XDG_CACHE_HOME/troubleshoot-bot` (by default `~/.cache/troubleshoot-bot`).
Small knowledge bases are not cached at all (their callers decide): the shipped one loads in
milliseconds.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.util
import logging
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
KB_CACHE_KEEP = 4  # files kept per kind: a few KNOWLEDGE_PATH values in use at once
_FORMAT = b"troubleshoot-bot disk cache 1"


def cache_folder() -> Path | None:
    """The folder for cached files, or None where none can be used safely."""
    if os.name != "posix":
        return None  # the ownership checks below are POSIX ones
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "troubleshoot-bot"


def code_fingerprint(modules: Iterable[str]) -> bytes:
    """The source of the modules that compute a cached value, with the Python version: a new
    release (or a local edit) of any of them invalidates what they computed."""
    digest = hashlib.sha256(sys.version.encode())
    for name in modules:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        digest.update(name.encode() + b"\0")
        if origin and os.path.exists(origin):
            digest.update(Path(origin).read_bytes())
        else:
            digest.update(b"?")  # no source to read: such a value is cached under this key
    return digest.digest()


def cached(kind: str, key: bytes, build: Callable[[], T]) -> T:
    """`build()`, or the value a previous `build()` stored for the same kind and key.

    Either way with the cyclic garbage collector paused (see paused_gc)."""
    with paused_gc():
        folder = _usable_folder()
        if folder is None:
            return build()
        digest = hashlib.sha256(_FORMAT + b"\0" + kind.encode() + b"\0" + key).hexdigest()
        path = folder / f"{kind}-{digest[:40]}.pickle"
        found = _read(path, digest)
        if found is not None:
            return found[0]  # type: ignore[no-any-return]
        value = build()
        _write(folder, path, digest, value)
        _prune(folder, kind)
        return value


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block.

    Building (or unpickling) a large knowledge base allocates about a million containers that
    all stay alive: each time the allocation count crosses a threshold the collector walks
    the whole growing heap and finds nothing to free. That was a fifth of the time to load
    and index 10,000 entries (docs/benchmarks.md). Reference counting still frees what it
    frees.

    What a block that ends normally built is then frozen (gc.freeze): kept out of every later
    collection. Without that the first collections after the block walked the million new
    objects again, generation by generation (a tenth of a cold start), and found nothing: a
    knowledge base and its index hold no reference cycles, and they live as long as the
    process. Frozen objects are still freed by reference counting when dropped (a team KB
    reloaded after a change), and cycles made later are collected as before; a block that
    raised freezes nothing, so its garbage stays collectable.
    """
    if not gc.isenabled():  # paused already (a caller, or another thread in such a block)
        yield
        return
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        gc.enable()


def _usable_folder() -> Path | None:
    folder = cache_folder()
    if folder is None:
        return None
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
        log.debug("not using the cache folder %s: not private to this user", folder)
        return None
    return folder


def _read(path: Path, digest: str) -> tuple[object] | None:
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
                return None
            stored_digest, value = pickle.load(handle)
        if stored_digest != digest:
            return None
        with contextlib.suppress(OSError):  # a read-only cache still serves
            os.utime(path)  # recently used: kept by _prune
        return (value,)
    except FileNotFoundError:
        return None
    except Exception as error:  # a bad cache file is only a cache miss
        log.debug("ignoring the cache file %s: %s", path, error)
        return None


def _write(folder: Path, path: Path, digest: str, value: object) -> None:
    temporary = ""
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tmp-", delete=False) as handle:
            temporary = handle.name
            pickle.dump((digest, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except Exception as error:  # not cached this time: no harm done
        log.debug("could not write the cache file %s: %s", path, error)
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def _prune(folder: Path, kind: str) -> None:
    try:
        files = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime,
                       reverse=True)
        for old in files[KB_CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass  # another process pruned at the same time
