"""Work spread over the cores: how many this process may use, and a map over forked processes.

Forked workers start with everything this process holds (imports, texts, compiled schemas), so a task
is a function of an index and nothing is sent to them but the index; only results travel back.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

R = TypeVar("R")

_task: Callable[[int], Any] | None = None
"""The task of the map under way, which forked workers inherit."""


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity, where the platform has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    # A forked child has only the thread that forked: a lock another thread held (jsii's reader, a
    # test runner's) would stay held in it. macOS's system libraries are not safe to use after fork.
    return sys.platform == "linux" and threading.active_count() == 1


def map_forked(task: Callable[[int], R], count: int) -> list[R]:
    """``[task(0), …, task(count - 1)]``: task 0 in this process while forked workers run the others.

    Without fork (another platform, other threads running) or when a worker cannot start or dies, the
    tasks not done run here, in order; the results are the same either way.
    """
    global _task
    if count <= 1 or not can_fork():
        return [task(index) for index in range(count)]
    _task = task
    results: dict[int, R] = {}
    try:
        fork = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=count - 1, mp_context=fork) as pool:
            futures = {index: pool.submit(_run, index) for index in range(1, count)}
            results[0] = task(0)
            for index, future in futures.items():
                results[index] = future.result()
    except (BrokenProcessPool, OSError):
        pass
    finally:
        _task = None
    return [results[index] if index in results else task(index) for index in range(count)]


def _run(index: int) -> Any:
    if _task is None:
        raise RuntimeError("no task: workers run only inside map_forked")
    return _task(index)


def split_evenly(weights: Sequence[int], parts: int) -> list[range]:
    """``parts`` (at most) consecutive ranges of indexes of ``weights`` with about equal sums."""
    total = sum(weights)
    if parts <= 1 or len(weights) <= 1 or total == 0:
        return [range(len(weights))] if weights else []
    ranges, start, running = [], 0, 0
    for index, weight in enumerate(weights):
        running += weight
        if running * parts >= total * (len(ranges) + 1) and len(ranges) < parts - 1:
            ranges.append(range(start, index + 1))
            start = index + 1
    ranges.append(range(start, len(weights)))
    return [part for part in ranges if part]
