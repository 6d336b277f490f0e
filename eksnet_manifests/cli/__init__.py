"""Command-line entry point. Kept light so ``eksnet gen`` can start cdk8s before the rest loads."""

from __future__ import annotations

import atexit
import gc
import os
import sys
import threading
from typing import Any, NoReturn

_HELP = ("--help", "-h", "--show-completion", "--install-completion")


# A run builds many containers that live until it ends (parsed manifests, schemas, profile models);
# at the default threshold (700 allocations) the collector walks them again and again, a tenth of
# a large validate's time. Cycles are still collected, less often.
_GC_THRESHOLD = (10_000, 10, 10)


def main() -> None:
    gc.set_threshold(*_GC_THRESHOLD)
    args = sys.argv[1:]
    # Only a run that will synthesise starts Node.js early; help and completion stay fast.
    if _synthesises(args) and not any(a in _HELP for a in args):
        from eksnet_manifests.cli._node import node_problem

        if node_problem() is None:
            from eksnet_manifests.synth.chart import start_synthesizer

            start_synthesizer()
    from eksnet_manifests.cli.root import app

    try:
        app(prog_name="eksnet")
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        if isinstance(done.code, str):
            print(done.code, file=sys.stderr)
        exit_without_teardown(code)


def exit_without_teardown(code: int) -> NoReturn:
    """End the process once its work is done, skipping the interpreter's teardown.

    Freeing every module and object (pydantic's models, cdk8s's bindings) costs a short command about a
    tenth of a second, for nothing. Exit handlers still run (jsii's stops Node.js and removes its files),
    and output is flushed. The ordinary exit is taken while a thread other than daemons still runs (it
    waits for it) and under a profiler or tracer (cProfile, coverage), which writes its report at exit.
    """
    main_thread = threading.main_thread()
    running = any(t is not main_thread and not t.daemon and t.is_alive() for t in threading.enumerate())
    if running or sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception as exc:  # a reader gone (| head) ends quietly; a full disk is said
            from eksnet_manifests.cli._boundary import EXIT_BAD_INPUT, output_failed, report_output_failure

            if output_failed(exc):
                report_output_failure(exc)
                code = code or EXIT_BAD_INPUT
    os._exit(code)


def _synthesises(args: list[str]) -> bool:
    """Whether the command line runs a command that synthesises with cdk8s (``--debug`` may come first)."""
    words = [arg for arg in args if arg != "--debug"]
    # gen all starts it itself once it knows a cluster needs synthesising (rerun.py)
    return words[:2] == ["gen", "app"] or words[:1] == ["graph"]


def __getattr__(name: str) -> Any:
    # ``from eksnet_manifests.cli import app`` without loading every command on package import
    if name == "app":
        from eksnet_manifests.cli.root import app

        return app
    raise AttributeError(name)
