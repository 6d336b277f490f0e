"""The command line as a whole: plain help, no silently dropped options, --debug anywhere, clean exits."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from eksnet_manifests.cli import app

runner = CliRunner()
PYTHON_TYPES = ("<bool>", "<str>", "<int", "<list[", "<path>", "<float>")


def every_command(group=None, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    group = group or typer.main.get_command(app)
    context = typer.Context(group)
    found = [prefix]
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if hasattr(command, "list_commands"):
            found += every_command(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("command", every_command(), ids=lambda c: " ".join(c) or "eksnet")
def test_help_names_values_not_python_types(command: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert not [word for word in PYTHON_TYPES if word in result.output], result.output


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "-p", "a.yaml", "-p", "b.yaml"],
        ["plan", "--profile=a.yaml", "-p", "b.yaml"],
        ["cni", "max-pods", "t3.medium", "-o", "json", "--output", "text"],
    ],
    ids=["same-short-twice", "long-and-short", "output-twice"],
)
def test_an_option_that_takes_one_value_refuses_a_second(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "given" in result.output and "this command takes one value" in result.output


def test_repeatable_options_still_repeat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["gen", "all", "-p", "missing-a.yaml", "-p", "missing-b.yaml"])
    assert "takes one value" not in result.output
    assert "missing-a.yaml: cannot read profile" in result.output


def test_debug_is_accepted_after_the_command() -> None:
    result = runner.invoke(app, ["cni", "max-pods", "t3.medium", "--debug"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "17"


def test_shell_completion_script_is_available() -> None:
    result = runner.invoke(app, ["--show-completion", "bash"], prog_name="eksnet")
    assert result.exit_code == 0
    assert "_EKSNET_COMPLETE" in result.output


def test_internal_error_is_exit_3_and_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from eksnet_manifests.cni import max_pods

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(max_pods, "max_pods", broken)
    result = runner.invoke(app, ["cni", "max-pods", "t3.medium"])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom (run with --debug for a traceback)" in result.output
    debug = runner.invoke(app, ["cni", "max-pods", "t3.medium", "--debug"])
    assert isinstance(debug.exception, RuntimeError)


def test_missing_node_is_named_with_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JSII_NODE", str(tmp_path / "no-node-here"))
    result = runner.invoke(app, ["gen", "all"])
    assert result.exit_code == 2
    assert "Node.js" in result.output and "install Node.js 18 or newer" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


HELP_WITHOUT_NODE = """
import atexit, sys
from eksnet_manifests.cli import main
sys.argv = ["eksnet", *sys.argv[1:]]
started = lambda: "jsii" in sys.modules or "cdk8s" in sys.modules
atexit.register(lambda: print("started-node" if started() else "no-node"))
main()
"""


@pytest.mark.parametrize(
    "args", [["gen", "app", "--help"], ["gen", "all", "-h"], ["gen"]], ids=["app", "all", "group"]
)
def test_help_does_not_start_node(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", HELP_WITHOUT_NODE, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.stdout.strip().endswith("no-node"), done.stdout + done.stderr


def test_closed_output_pipe_ends_quietly(tmp_path: Path) -> None:
    # GIVEN enough findings to fill a pipe, and a reader that stops after the first line
    bad = "apiVersion: v1\nkind: Service\nmetadata: {name: s%d}\nspec: {ports: [{port: eighty}]}\n"
    (tmp_path / "many.yaml").write_text("---\n".join(bad % i for i in range(3000)))
    eksnet = Path(sys.executable).with_name("eksnet")
    pipeline = f"'{eksnet}' validate many.yaml | head -1"
    done = subprocess.run(
        ["bash", "-c", pipeline],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.stdout.count("\n") == 1
    assert "BrokenPipe" not in done.stderr and "internal error" not in done.stderr


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (["validate", "{file}"], "file"),
        (["iam", "check", "{file}"], "policy"),
        (["cni", "max-pods", "t3.medium", "--instance-data", "{file}"], "instance data"),
        (["plan", "--profile", "{file}"], "profile"),
        (["gen", "all", "--profile", "{file}"], "profile"),
    ],
    ids=["validate", "iam-check", "instance-data", "plan-profile", "gen-profile"],
)
@pytest.mark.parametrize("kind", ["binary", "fifo"])
def test_any_file_the_user_gives_is_bad_input_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], what: str, kind: str
) -> None:
    monkeypatch.chdir(tmp_path)
    file = tmp_path / "input.yaml"
    if kind == "fifo":
        os.mkfifo(file)
        expected = f"{file}: cannot read {what}: a FIFO, not a regular file"
    else:
        file.write_bytes(b"\x89PNG\r\n\x1a\n\x00")
        expected = f"{file}:1: {what} is not UTF-8 text (byte 0x89 at offset 0)"
    result = runner.invoke(app, [arg.format(file=file) for arg in args])
    assert result.exit_code == 2, result.output
    assert f"error: {expected}" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


@pytest.mark.parametrize(
    "args",
    [["red\x1b[31mX"], ["--bog\x07us"], ["gen", "all", "--prof\x1bile"]],
    ids=["unknown-command", "unknown-root-option", "unknown-command-option"],
)
def test_usage_errors_escape_what_was_typed(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b" in result.output or "\\x07" in result.output


EXIT_SCRIPT = """
import atexit, sys, threading, time
from pathlib import Path
from eksnet_manifests.cli import exit_without_teardown
marker = Path(sys.argv[1])
atexit.register(lambda: marker.with_suffix(".atexit").write_text("ran"))

def work():
    time.sleep(0.3)
    marker.with_suffix(".worker").write_text("done")

if sys.argv[2] == "worker":
    threading.Thread(target=work).start()
print("partial line, never flushed by hand", end="")
exit_without_teardown(3)
"""


@pytest.mark.parametrize("situation", ["alone", "worker"])
def test_the_fast_exit_keeps_exit_handlers_output_and_running_work(tmp_path: Path, situation: str) -> None:
    # GIVEN a process with an exit handler, buffered output and (or not) a worker thread still running
    marker = tmp_path / "marker"
    # WHEN it ends with exit_without_teardown(3)
    done = subprocess.run(
        [sys.executable, "-c", EXIT_SCRIPT, str(marker), situation],
        capture_output=True,
        text=True,
        check=False,
    )
    # THEN it exits 3 with its output written, its exit handler run, and the worker waited for
    assert done.returncode == 3, done.stderr
    assert done.stdout == "partial line, never flushed by hand"
    assert marker.with_suffix(".atexit").read_text() == "ran"
    assert marker.with_suffix(".worker").exists() == (situation == "worker")


def test_a_profiled_run_still_writes_the_profile(tmp_path: Path) -> None:
    # GIVEN the command run under cProfile, which writes its report once the program returns
    script = tmp_path / "run.py"
    script.write_text(
        "import sys\nfrom eksnet_manifests.cli import main\nsys.argv = ['eksnet', '--help']\nmain()\n"
    )
    report = tmp_path / "run.prof"
    # WHEN it ends; THEN the report is there, and so is the command's output
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(report), str(script)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: eksnet" in done.stdout
    assert report.stat().st_size > 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "args",
    [["--help"], ["cni", "max-pods", "t3.medium"], ["cni", "max-pods", "t3.medium", "--output", "json"]],
    ids=["help", "command-output", "json-output"],
)
def test_output_to_a_full_disk_is_one_error_line_and_exit_2(args: list[str]) -> None:
    # GIVEN standard output redirected to a device that is always full
    eksnet = Path(sys.executable).with_name("eksnet")
    with open("/dev/full", "w") as full:
        # WHEN a command prints there
        done = subprocess.run(
            [str(eksnet), *args], stdout=full, stderr=subprocess.PIPE, text=True, check=False, timeout=60
        )
    # THEN it says so once, without a traceback, and fails as bad input would
    assert done.returncode == 2
    assert done.stderr == "error: cannot write to standard output: No space left on device\n"
