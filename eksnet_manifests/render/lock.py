"""One writer per cluster folder: ``gen`` runs that would write the same ``out/<cluster>/`` take turns.

The lock is an ``flock`` on ``.<cluster>.eksnet-lock`` beside the folder, holding the owner's process
ID. The kernel releases it when the process ends, however it ends, so a killed run never blocks the
next one; the file is removed on release, and a waiting run checks it locked the file still in place.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from eksnet_manifests.errors import Location, RenderError
from eksnet_manifests.files import default_mode

LOCK_MARK = ".eksnet-lock"
LOCK_WAIT_S = 60.0
_POLL_S = 0.1


def lock_path(cluster_dir: Path) -> Path:
    return cluster_dir.with_name(f".{cluster_dir.name}{LOCK_MARK}")


@contextlib.contextmanager
def cluster_lock(
    cluster_dir: Path,
    *,
    wait_s: float = LOCK_WAIT_S,
    on_wait: Callable[[str], None] | None = None,
    create: bool = True,
) -> Iterator[None]:
    """Hold the cluster folder's lock; wait up to ``wait_s`` for another holder, saying so once.

    Without ``create`` (``gen --check``, which writes nothing) a missing output folder is not made:
    there is no tree to read, so nothing to lock."""
    path = lock_path(cluster_dir)
    if not create and not path.parent.is_dir():
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(
            f"cannot create output folder: {exc.strerror}", Location(str(path.parent))
        ) from None
    deadline = time.monotonic() + wait_s
    told = False
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), default_mode())
        except OSError as exc:
            raise RenderError(f"cannot lock {cluster_dir}: {exc.strerror}", Location(str(path))) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            os.close(descriptor)
            if time.monotonic() >= deadline:
                raise RenderError(
                    f"{cluster_dir} is being written by another eksnet run ({holder}); "
                    f"waited {wait_s:g} s: try again when it has finished",
                    Location(str(cluster_dir)),
                ) from None
            if not told and on_wait is not None:
                on_wait(f"waiting for another eksnet run ({holder}) to finish writing {cluster_dir}")
                told = True
            time.sleep(_POLL_S)
            continue
        if _still_in_place(descriptor, path):
            break
        os.close(descriptor)  # the previous holder removed the file we locked: lock the new one
    try:
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n".encode())
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        os.close(descriptor)


def _holder(descriptor: int) -> str:
    with contextlib.suppress(OSError, ValueError):
        pid = int(os.pread(descriptor, 32, 0).decode().strip())
        return f"pid {pid}"
    return "pid unknown"


def _still_in_place(descriptor: int, path: Path) -> bool:
    try:
        return os.fstat(descriptor).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False
