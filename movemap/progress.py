"""Progress on stderr for long work; silent with ``--quiet`` or when stderr is not wanted."""

from __future__ import annotations

import sys
from contextlib import contextmanager


@contextmanager
def progress(total: int | None, desc: str, quiet: bool):
    if quiet:
        yield _Null()
        return
    from tqdm import tqdm

    # No monitor thread (tqdm's documented switch): it would outlive the bar, and a process with
    # another thread alive writes its outputs one after another instead of in forked processes.
    tqdm.monitor_interval = 0
    bar = tqdm(total=total, desc=desc, unit="doc", file=sys.stderr, leave=False, dynamic_ncols=True)
    try:
        yield bar
    finally:
        bar.close()


class _Null:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, s: str) -> None:
        pass
