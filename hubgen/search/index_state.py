"""Whether the CLI search index was built from the content as it is now, told without whoosh or the hub.

The index lives in `<repo>/.hubgen-cache/search/<audience>/` with a fingerprint of
the content files (the sizes and mtimes of a stored listing of folders and files; paths,
sizes and mtimes found by a walk; paths with bytes) and the hub's glossary, so `hubgen
search` can check it (a stat of every content file and folder, the largest cost of a
warm query at 10,000 projects) while it imports whoosh and runs the query.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

INDEX_VERSION = "2"  # 2: the glossary is stored beside the index
CACHE = ".hubgen-cache"
FINGERPRINT = "fingerprint.json"
GLOSSARY = "glossary.json"
RACY_NS = 2_000_000_000  # coarser than any file system's mtime tick (FAT's is 2 s)


def index_dir(root: Path, audience: str) -> Path:
    return root / CACHE / "search" / audience


def _content_tree(root: Path) -> tuple[list[str], list[tuple[str, os.DirEntry[str]]], bool]:
    """The folders under content/ (relative, each ending in "/"; "" is content/ itself), (path
    relative to content/, its directory entry) of every content file, files sorted by path, and
    whether every folder could be read.

    os.scandir, plain strings and one sort at the end: at 30,000 files pathlib's
    per-path parsing and a sort per folder cost more than the stat calls themselves.
    """
    folders: list[str] = []
    out: list[tuple[str, os.DirEntry[str]]] = []
    stack = [("", os.path.join(root, "content"))]
    seen: set[str] = set()  # real paths of linked folders already walked: a link loop ends here
    complete = True
    while stack:
        rel_dir, abs_dir = stack.pop()
        try:
            entries = list(os.scandir(abs_dir))
        except OSError:
            complete = False
            continue
        folders.append(rel_dir)
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
    return folders, out, complete


def _bytes(text: str) -> bytes:
    """Paths as the file system gave them: a name that is not UTF-8 (kept as surrogates) hashes too."""
    return text.encode("utf-8", "surrogateescape")


def _header(audience: str) -> bytes:
    from hubgen import __version__

    return f"{INDEX_VERSION}:{__version__}:{audience}".encode()


def replace_stored(staging: Path, directory: Path) -> None:
    """Swap a stored index (`staging`, complete) in for `directory` with renames, so a reader sees the old
    one or the new. Another process (a build's index worker, a first command) may be doing the same from
    the same content: whichever lands first stays, and the other's copy is dropped."""
    old = Path(tempfile.mkdtemp(prefix=f".{directory.name}-old-", dir=directory.parent))
    try:
        directory.rename(old / directory.name)
    except FileNotFoundError:
        pass
    try:
        staging.rename(directory)
    except OSError:
        if not directory.is_dir():
            raise
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def listed_fingerprint(root: Path, audience: str, listing: list[str], settled_before: int | None = None) -> str | None:
    """Hash of the size and mtime of each folder and file in `listing` (as `_content_tree` gave them);
    None when one is gone, or when one changed at or after `settled_before` (ns since the epoch).

    No folder is read: a file added, removed or renamed changes its folder's mtime, an edit its own,
    so this tells "unchanged" as surely as a walk, in about half its time (a stat per path instead of
    opening every folder: 15,800 of them at 10,000 projects). A folder changed twice within one tick of
    the file system's clock keeps its mtime, so a listing is stored only once every mtime in it is
    older than RACY_NS (as git treats "racily clean" files).
    """
    base = os.path.join(root, "content") + os.sep
    parts: list[str] = []
    for rel in listing:
        try:
            st = os.stat(base + rel)  # follows links, as the walk and the loader do
        except OSError:
            return None
        if settled_before is not None and st.st_mtime_ns >= settled_before:
            return None
        parts.append(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n")
    h = hashlib.sha256(_header(audience))
    h.update(_bytes("".join(parts)))
    return h.hexdigest()


def _listing(folders: list[str], files: list[tuple[str, os.DirEntry[str]]], complete: bool) -> list[str] | None:
    """Every folder and file of a walk to stat, or None when a folder could not be read (what is in it
    may change unseen: the walk decides each time until it can be read)."""
    return sorted(folders) + [rel for rel, _ in files] if complete else None


def content_fingerprint(
    root: Path, audience: str, by_content: bool = False, files: list[tuple[str, os.DirEntry[str]]] | None = None
) -> str:
    """Hash of the content files: by path, size and mtime (fast), or by path and bytes.

    The fast form answers "unchanged since the last build here" in milliseconds;
    the content form survives a fresh clone or a CI cache restore, where every
    mtime is new but the files are not. `files`: a walk already made (`_content_tree`).
    """
    h = hashlib.sha256(_header(audience))
    lines: list[str] = []
    for rel, entry in files if files is not None else _content_tree(root)[1]:
        try:
            if by_content:
                with open(entry.path, "rb") as f:
                    h.update(_bytes(f"{rel}\0") + hashlib.sha256(f.read()).digest())
            else:
                st = entry.stat()  # follows a linked file, as reading it does
                lines.append(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n")
        except OSError:
            continue
    h.update(_bytes("".join(lines)))
    return h.hexdigest()


def is_fresh(directory: Path, root: Path, audience: str) -> bool:
    """True if the index was built from the content as it is now (fastest check first)."""
    marker = directory / FINGERPRINT
    try:
        stored = json.loads(marker.read_text())
    except (OSError, ValueError):
        return False
    listing = stored.get("listing")
    if isinstance(listing, str) and stored.get("listed") == listed_fingerprint(root, audience, listing.split("\n")):
        return True
    # Something was touched (or the files were cloned anew): the walk decides, by mtimes, then by bytes.
    if stored.get("stat") != content_fingerprint(root, audience) and stored.get("content") != content_fingerprint(
        root, audience, by_content=True
    ):
        return False
    stored.update(_fast_forms(root, audience))  # same files, new mtimes or folders: remember them
    marker.write_text(json.dumps(stored))
    return True


def _fast_forms(root: Path, audience: str, read_from_ns: int | None = None) -> dict[str, str]:
    """The listing and stat forms, from one walk; `read_from_ns`: see `fingerprints`."""
    folders, files, complete = _content_tree(root)
    listing = _listing(folders, files, complete)
    settled_before = (read_from_ns or time.time_ns()) - RACY_NS  # a read began before now
    listed = listed_fingerprint(root, audience, listing, settled_before) if listing is not None else None
    return {
        "stat": content_fingerprint(root, audience, files=files),
        "listing": "\n".join(listing or ()),
        "listed": listed or "",  # "" matches none: the walk decides
    }


def stored_glossary(directory: Path) -> dict[str, list[str]]:
    """The glossary the index at `directory` was written with ({} when it has none)."""
    try:
        raw = json.loads((directory / GLOSSARY).read_text())
    except (OSError, ValueError):
        return {}
    return raw if isinstance(raw, dict) else {}


def fingerprints(root: Path, audience: str, read_from_ns: int | None = None) -> dict[str, str]:
    """What an index is stored with: the content's fingerprints by listing, by mtimes and by bytes.

    Taken before the hub is read, they are safe as they are: a change during the read makes the index
    newer than them, so it is rebuilt. Taken after (`read_from_ns`: when the reading began), a file
    changed since then may be missing from the index while its new mtime and bytes are here: then
    no form is stored, and the next check rebuilds.
    """
    forms = {
        **_fast_forms(root, audience, read_from_ns),
        "content": content_fingerprint(root, audience, by_content=True),
    }
    if read_from_ns is not None and not forms["listed"]:  # a change since (or just before) the read
        return dict.fromkeys(forms, "")
    return forms


def check_meanwhile(
    directory: Path, root: Path, audience: str, also: Callable[[], bool] | None = None
) -> Callable[[], bool]:
    """Start `is_fresh` (and `also`, when given: what else the stored form depends on) on the other core
    and return what waits for its answer.

    The stat of every content file is most of a warm query; in a forked child it runs while the parent
    imports whoosh and searches. A child that fails answers "not fresh", so the index is rebuilt.
    """

    def fresh() -> bool:
        return is_fresh(directory, root, audience) and (also is None or also())

    # A thread where there is no fork (Windows) or where other threads run (forking those is unsafe);
    # the walk is mostly system calls, which free the GIL.
    if not hasattr(os, "fork") or threading.active_count() > 1:
        answer: list[bool] = []
        worker = threading.Thread(target=lambda: answer.append(fresh()))
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
            os.write(write_end, b"1" if fresh() else b"0")
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
