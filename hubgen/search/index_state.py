"""Whether the CLI search index was built from the content as it is now, told without whoosh or the hub.

The index lives in `<repo>/.hubgen-cache/search/<audience>/` with a fingerprint of
the content files (paths, sizes, mtimes, and paths with bytes) and the hub's glossary,
so `hubgen search` can check it (a stat of every content file, the whole cost of a
warm query at 10,000 projects) while it imports whoosh and runs the query.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

INDEX_VERSION = "2"  # 2: the glossary is stored beside the index
CACHE = ".hubgen-cache"
FINGERPRINT = "fingerprint.json"
GLOSSARY = "glossary.json"


def index_dir(root: Path, audience: str) -> Path:
    return root / CACHE / "search" / audience


def _content_files(root: Path) -> list[tuple[str, os.DirEntry[str]]]:
    """(path relative to content/, its directory entry) of every content file, sorted by path.

    os.scandir, plain strings and one sort at the end: at 30,000 files pathlib's
    per-path parsing and a sort per folder cost more than the stat calls themselves.
    """
    out: list[tuple[str, os.DirEntry[str]]] = []
    stack = [("", os.path.join(root, "content"))]
    seen: set[str] = set()  # real paths of linked folders already walked: a link loop ends here
    while stack:
        rel_dir, abs_dir = stack.pop()
        try:
            entries = list(os.scandir(abs_dir))
        except OSError:
            continue
        for entry in entries:
            rel = rel_dir + entry.name
            if entry.is_dir(follow_symlinks=False):
                stack.append((rel + "/", entry.path))
            elif entry.is_symlink() and entry.is_dir():  # the loader reads linked project folders too
                real = os.path.realpath(entry.path)
                if real not in seen:
                    seen.add(real)
                    stack.append((rel + "/", entry.path))
            else:
                out.append((rel, entry))
    out.sort(key=lambda item: item[0])
    return out


def content_fingerprint(root: Path, audience: str, by_content: bool = False) -> str:
    """Hash of the content files: by path, size and mtime (fast), or by path and bytes.

    The fast form answers "unchanged since the last build here" in milliseconds;
    the content form survives a fresh clone or a CI cache restore, where every
    mtime is new but the files are not.
    """
    from hubgen import __version__

    h = hashlib.sha256(f"{INDEX_VERSION}:{__version__}:{audience}".encode())
    lines: list[str] = []
    for rel, entry in _content_files(root):
        try:
            if by_content:
                with open(entry.path, "rb") as f:
                    h.update(f"{rel}\0".encode() + hashlib.sha256(f.read()).digest())
            else:
                st = entry.stat()  # follows a linked file, as reading it does
                lines.append(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n")
        except OSError:
            continue
    h.update("".join(lines).encode())
    return h.hexdigest()


def is_fresh(directory: Path, root: Path, audience: str) -> bool:
    """True if the index was built from the content as it is now (fast check first)."""
    marker = directory / FINGERPRINT
    try:
        stored = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    if stored.get("stat") == content_fingerprint(root, audience):
        return True
    if stored.get("content") == content_fingerprint(root, audience, by_content=True):
        stored["stat"] = content_fingerprint(root, audience)  # same files, new mtimes: remember them
        marker.write_text(json.dumps(stored))
        return True
    return False


def stored_glossary(directory: Path) -> dict[str, list[str]]:
    """The glossary the index at `directory` was written with ({} when it has none)."""
    try:
        raw = json.loads((directory / GLOSSARY).read_text())
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def fingerprints(root: Path, audience: str) -> dict[str, str]:
    return {
        "stat": content_fingerprint(root, audience),
        "content": content_fingerprint(root, audience, by_content=True),
    }


def check_meanwhile(directory: Path, root: Path, audience: str) -> Callable[[], bool]:
    """Start `is_fresh` on the other core and return what waits for its answer.

    The stat of every content file is most of a warm query; in a forked child it runs while the parent
    imports whoosh and searches. A child that fails answers "not fresh", so the index is rebuilt.
    """
    # A thread where there is no fork (Windows) or where other threads run (forking those is unsafe);
    # the walk is mostly system calls, which free the GIL.
    if not hasattr(os, "fork") or threading.active_count() > 1:
        answer: list[bool] = []
        worker = threading.Thread(target=lambda: answer.append(is_fresh(directory, root, audience)))
        worker.start()

        def joined() -> bool:
            worker.join()
            return answer == [True]

        return joined
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer, then leave without running the parent's exit handlers
        try:
            os.close(read_end)
            os.write(write_end, b"1" if is_fresh(directory, root, audience) else b"0")
        finally:
            os._exit(0)
    os.close(write_end)

    def wait() -> bool:
        try:
            return os.read(read_end, 1) == b"1"
        finally:
            os.close(read_end)
            os.waitpid(pid, 0)

    return wait
