"""Python's cycle collector around hubgen's big passes: off while they build, frozen or back after.

A load or an analysis of a large hub makes millions of long-lived objects (records, term vectors,
evidence) and almost no cyclic garbage, and the collector, run every few hundred allocations, walks
the young ones again and again: unpickling 10,000 cached project folders takes 2.1 s with it and 0.6 s
without, the expertise model at 10,000 projects 4.1 s and 2.3 s. Reference counting still frees
everything as usual; only cycles wait for the collector.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Pauses may overlap across threads (hubgen serve's quick update runs during a rebuild): the
# collector goes back on only when the last one ends, as it was before the first. One thread's own
# "as it was" would be wrong: ending first, it would switch the collector on in the middle of the
# other's pass, and full collections over millions of objects would stall both for seconds.
_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, then as it was (a caller's disabled collector stays off)."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


@contextmanager
def paused_then_frozen() -> Iterator[None]:
    """`paused`, then every object alive is frozen out of the collector's sight (`gc.freeze`): what a
    load made lives as long as the process needs it, and later passes need not walk it again (its
    first full pass after a 10,000-project load cost 0.7 s). What an earlier call froze is handed back
    first; a server calls `release` after each build so that cycles among it do not outlive the build."""
    gc.unfreeze()
    with paused():
        try:
            yield
        finally:
            gc.freeze()


def release() -> None:
    """Hand everything frozen back to the collector and collect: after each build of a server."""
    gc.unfreeze()
    gc.collect()
