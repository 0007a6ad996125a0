"""Independent output files written side by side in forked processes (``movemap build --jobs N``).

Writing the outputs is the build's serial tail (issue 9): once the route is built, every file
is a function of it alone, so with N cores N processes can write them. A child forked after
the route is built inherits the route (places and legs in memory, and the merge's spill store,
which the writers only read: SQLite reads with ``pread`` and no writer runs any more, so readers
in two processes do not disturb each other); nothing is sent back but each file's outcome.
Each file is still written through ``maps.atomic``: complete or absent, also on Ctrl-C (every
process gets the signal and removes its temporary file) or SIGTERM (forwarded to the children).

Fork is used only where it is safe: a POSIX system, and a process with no other thread (a lock
held by another thread at the fork would stay locked for ever in the child). Elsewhere the
tasks run one after another in this process; the bytes written are the same either way.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
import traceback
from typing import Callable

from movemap.errors import OutputError

__all__ = ["can_fork", "groups", "run_tasks"]

Task = tuple[str, Callable[[], object]]  # (name, writer): the writer raises OutputError on failure


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def groups(names: list[str], weights: dict[str, float], n: int) -> list[list[str]]:
    """``names`` in at most ``n`` groups of about equal total weight (heaviest first, each into
    the lightest group); each group keeps the order of ``names``, the lightest group comes first."""
    bins: list[tuple[float, int, list[str]]] = [(0.0, i, []) for i in range(max(1, min(n, len(names))))]
    for name in sorted(names, key=lambda x: -weights.get(x, 1.0)):
        total, i, members = min(bins)
        members.append(name)
        bins[i] = (total + weights.get(name, 1.0), i, members)
    bins.sort()
    return [sorted(members, key=names.index) for _, _, members in bins if members]


def _run(tasks: list[Task]) -> dict[str, str | None]:
    """Each task's outcome: None, or the message of its ``OutputError`` (the others still run)."""
    out: dict[str, str | None] = {}
    for name, write in tasks:
        try:
            write()
            out[name] = None
        except OutputError as exc:
            out[name] = str(exc)
    return out


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


def _child(tasks: list[Task], fd: int) -> None:
    """Run ``tasks`` in a forked child, send the outcomes down ``fd`` and leave (never returns:
    ``os._exit`` skips the parent's exit handlers and buffered output, which are not the child's)."""
    code = 0
    try:
        signal.signal(signal.SIGTERM, _raise_interrupt)  # the parent stops a child with SIGTERM
        try:
            payload = ("ok", _run(tasks))
        except KeyboardInterrupt:  # the temporary file is gone (maps.atomic); nothing to report
            payload, code = ("interrupted", None), 130
        except BaseException:  # noqa: BLE001 - a bug in a writer: the parent raises it
            payload = ("crash", traceback.format_exc())
        data = pickle.dumps(payload)
        while data:
            data = data[os.write(fd, data):]
    finally:
        os._exit(code)


def _collect(pid: int, fd: int) -> tuple:
    chunks = []
    while True:
        b = os.read(fd, 1 << 16)
        if not b:
            break
        chunks.append(b)
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    if not chunks:
        return ("died", os.waitstatus_to_exitcode(status))
    return pickle.loads(b"".join(chunks))


def run_tasks(tasks: list[Task], weights: dict[str, float], processes: int) -> dict[str, str | None]:
    """Run every task, in up to ``processes`` processes when ``can_fork()`` (this one takes the
    lightest group), else here one after another; return name -> None or an error message.
    A writer's bug is raised here (as ``RuntimeError`` with the child's traceback)."""
    names = [name for name, _ in tasks]
    parts = groups(names, weights, processes) if processes > 1 and len(tasks) > 1 and can_fork() else [names]
    by_name = dict(tasks)
    children: list[tuple[int, int, list[str]]] = []
    done = False
    try:
        for part in parts[1:]:
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child
                os.close(r)
                _child([(n, by_name[n]) for n in part], w)
            os.close(w)
            children.append((pid, r, part))
        outcomes = _run([(n, by_name[n]) for n in parts[0]])
        crashes = []
        while children:
            pid, r, part = children[0]
            kind, value = _collect(pid, r)
            children.pop(0)
            if kind == "ok":
                outcomes.update(value)
            elif kind == "interrupted":
                raise KeyboardInterrupt
            elif kind == "crash":
                crashes.append(value)
            else:
                outcomes.update({n: f"{n}: the process writing it died (exit {value})" for n in part})
        if crashes:
            raise RuntimeError("a writer process failed:\n" + "\n".join(crashes))
        done = True
    finally:
        if not done:  # Ctrl-C or an error here: stop the children, which remove their temporary files
            for pid, r, _ in children:
                try:
                    os.kill(pid, signal.SIGTERM)
                except OSError:
                    pass
            for pid, r, _ in children:
                for step in (lambda: os.close(r), lambda: os.waitpid(pid, 0)):
                    try:
                        step()
                    except OSError:  # already closed / reaped
                        pass
    return {n: outcomes[n] for n in names}
