"""Loaded project folders kept between runs, keyed by the content of their files.

Reading and checking 30,000 small YAML and Markdown files is most of `hubgen
check` (and of each build's first seconds) on a large hub, and between two runs
nearly every project folder is unchanged. Each folder loads independently, so
its result (records, lineage, problems, references) is stored under a key of
everything it was read from: every file in the folder (by content; files over
the loader's size limit by size and time), the hub's path, the date the checks
use, and hubgen's code and packages (in the cache file's name). A folder with a
symbolic link in it is always read again (its target may change elsewhere).

Stored results are Python objects (pickles), read back with an unpickler that
builds only hubgen's record classes, dates and plain containers: a planted
cache file can make a wrong record at worst (and only someone who can write
the repository's folder can plant one), never run code.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import io
import os
import pickle
import threading
from datetime import date
from pathlib import Path
from typing import Any

from hubgen.fingerprint import code_fingerprint

FORMAT = 1
MAX_HASHED_BYTES = 2 * 1024 * 1024  # larger files are keyed by size and time: the loader reads few of them
_BUILTINS = {"set", "frozenset", "tuple", "list", "dict", "bytes", "bytearray", "complex"}
_DATETIME = {"date", "datetime", "time", "timedelta", "timezone"}


class _Unpickler(pickle.Unpickler):
    """Only hubgen's dataclasses and enums, dates and plain containers: nothing that runs code."""

    def find_class(self, module: str, name: str) -> Any:
        if "." not in name:
            if module == "builtins" and name in _BUILTINS:
                return super().find_class(module, name)
            if module == "datetime" and name in _DATETIME:
                return super().find_class(module, name)
            if module == "copyreg" and name == "_reconstructor":
                return super().find_class(module, name)
            if module.startswith("hubgen."):
                found = super().find_class(module, name)
                if isinstance(found, type) and (dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)):
                    return found
        raise pickle.UnpicklingError(f"not a hub record type: {module}.{name}")


def _loads(data: bytes) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


class FolderCache:
    """The stored folders of one hub; `get` and `put` during a load, `save` at its end."""

    def __init__(self, root: Path, today: date) -> None:
        self.file = root / ".hubgen-cache" / "loaded" / f"{code_fingerprint()[:16]}.pickle"
        self.salt = f"{FORMAT}\0".encode() + os.fsencode(root.resolve()) + f"\0{today.isoformat()}\0".encode()
        self.stored: dict[str, tuple[str, bytes]] = {}
        self.used: dict[str, tuple[str, bytes]] = {}
        self.changed = False
        self.note = ""  # why the stored folders were not used, if they were not
        try:
            data = self.file.read_bytes()
        except OSError:
            return
        try:
            stored = _loads(data)
            if not isinstance(stored, dict):
                raise TypeError("not a table of folders")
            self.stored = stored
        except Exception as exc:  # noqa: BLE001 - any damage: start afresh (and say so), never a wrong load
            self.note = f"{self.file} is unreadable ({exc}); every project folder is read again"
            self.changed = True

    def key(self, folder: Path) -> str | None:
        """The folder's content key; None when it must be read anyway (a symbolic link, an unreadable file)."""
        digest = hashlib.blake2b(self.salt, digest_size=20)
        try:
            for top, dirs, files in os.walk(folder):
                dirs.sort()
                for name in sorted(files) + [d for d in dirs if os.path.islink(os.path.join(top, d))]:
                    path = os.path.join(top, name)
                    if os.path.islink(path):
                        return None
                    rel = os.fsencode(os.path.relpath(path, folder))  # a name that is not UTF-8 too
                    info = os.stat(path)
                    if info.st_size > MAX_HASHED_BYTES:
                        digest.update(b"L" + rel + f"\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
                    else:
                        with open(path, "rb") as f:
                            digest.update(b"F" + rel + b"\0" + f.read() + b"\0")
        except OSError:
            return None
        return digest.hexdigest()

    def get(self, rel: str, key: str) -> Any | None:
        found = self.stored.get(rel)
        if found is None or found[0] != key:
            return None
        try:
            value = _loads(found[1])
        except Exception:  # noqa: BLE001 - a damaged entry: read the folder instead
            return None
        self.used[rel] = found
        return value

    def put(self, rel: str, key: str, value: Any) -> None:
        self.used[rel] = (key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        self.changed = True

    def merge(self, entries: dict[str, tuple[str, bytes]]) -> None:
        """Entries a worker process stored or used."""
        self.used.update(entries)
        self.changed = self.changed or any(self.stored.get(rel) != entry for rel, entry in entries.items())

    def save(self) -> None:
        """Keep what this load used (folders gone are dropped); written whole or not at all."""
        if not self.changed and self.used.keys() == self.stored.keys():
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            for old in self.file.parent.glob("*.pickle"):
                if old != self.file:
                    old.unlink(missing_ok=True)  # another code version's
            tmp = self.file.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")  # threads of a server too
            tmp.write_bytes(pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.file)
        except OSError:
            pass  # a read-only checkout: the next run reads the folders again
