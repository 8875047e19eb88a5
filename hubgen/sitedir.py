"""The built site on disk: one build at a time, staged out of sight, swapped in whole.

A build writes into a staging folder under `.hubgen-cache/staging/` (ignored by
git, cleaned by the next build after a crash) and renames it over the site
directory only when complete, so readers never see half a site. Builds of one
hub are serialised by a lock file: a second build waits instead of racing the
first over the same folders.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CACHE = ".hubgen-cache"


@contextmanager
def build_lock(root: Path, site_dir: Path) -> Iterator[float]:
    """Hold the hub's build lock; yields how many seconds were spent waiting for it."""
    lock_dir = root / CACHE
    lock_dir.mkdir(parents=True, exist_ok=True)
    waited = 0.0
    with open(lock_dir / "build.lock", "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            started = time.monotonic()
            fcntl.flock(handle, fcntl.LOCK_EX)  # the other build finishes first; the lock dies with it
            waited = max(time.monotonic() - started, 1e-3)
        try:
            _clean_leftovers(root, site_dir)
            yield waited
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def staging_dir(root: Path, site_dir: Path) -> Path:
    """A new, empty staging folder on the site's file system, readable as the umask says."""
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    parent = root / CACHE / "staging"
    parent.mkdir(parents=True, exist_ok=True)
    if os.stat(parent).st_dev != os.stat(site_dir.parent).st_dev:
        parent = site_dir.parent  # a rename cannot cross file systems: stage beside the site instead
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it 0700: a web server could not read the site
    return staging


def swap_in(staging: Path, site_dir: Path) -> None:
    """Replace the site with the staged one; if interrupted between the renames, the old site comes back."""
    old = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    try:
        if site_dir.exists():
            site_dir.rename(old)
        staging.rename(site_dir)
    except BaseException:
        if old.exists() and not site_dir.exists():
            old.rename(site_dir)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _clean_leftovers(root: Path, site_dir: Path) -> None:
    """What a killed build left: staging folders and a half-swapped old site (we hold the lock)."""
    for parent in (root / CACHE / "staging", site_dir.parent):
        if parent.is_dir():
            for leftover in parent.glob(f".{site_dir.name}-building-*"):
                shutil.rmtree(leftover, ignore_errors=True)
    old = site_dir.with_name(f".{site_dir.name}-old")
    if old.exists():
        if not site_dir.exists():
            old.rename(site_dir)  # killed between the two renames: the old site is the last good one
        else:
            shutil.rmtree(old, ignore_errors=True)
