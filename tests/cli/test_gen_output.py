"""What gen prints about the tree: change lines and a summary, the unified diff (``--diff``, ``--check``),
nothing but errors with ``--quiet``; colour on a terminal only, progress for several clusters on one."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eksnet_manifests.cli import app
from eksnet_manifests.cli._output import Progress, colour_on, echo_diff

runner = CliRunner()


@pytest.fixture(scope="module")
def lab_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lab") / "out"
    assert runner.invoke(app, ["gen", "all", "--out", str(out)]).exit_code == 0
    return out


@pytest.fixture
def generated(lab_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the lab's tree in ./out of an empty working folder."""
    shutil.copytree(lab_tree, tmp_path / "out")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "out" / "myeks"


def test_check_after_a_hand_edit_prints_a_diff_naming_the_file_and_writes_nothing(generated: Path) -> None:
    echo = generated / "apps" / "echo.yaml"
    echo.write_text(echo.read_text().replace("replicas: 2", "replicas: 5"))
    result = runner.invoke(app, ["gen", "all", "--check"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert "--- a/myeks/apps/echo.yaml" in lines and "+++ b/myeks/apps/echo.yaml" in lines
    assert "-  replicas: 5" in lines and "+  replicas: 2" in lines
    assert (
        lines[-1]
        == f"{Path('out/myeks')}: would change (0 added, 1 changed, 0 removed, 0 not managed by eksnet)"
    )
    assert "replicas: 5" in echo.read_text()


def test_diff_prints_what_it_writes_and_new_large_files_by_size(generated: Path) -> None:
    (generated / "apps" / "echo.yaml").unlink()
    (generated / "crds" / "gateway-api.yaml").unlink()
    result = runner.invoke(app, ["gen", "all", "--diff"])
    assert result.exit_code == 0
    assert "+++ b/myeks/apps/echo.yaml" in result.stdout and "+kind: Deployment" in result.stdout
    assert "@@ new file: " in result.stdout and "+apiVersion: apiextensions.k8s.io/v1" not in result.stdout
    assert result.stdout.splitlines()[-1].endswith(
        ": written (2 added, 0 changed, 0 removed, 0 not managed by eksnet)"
    )


def test_quiet_prints_nothing_and_the_exit_code_tells(generated: Path) -> None:
    (generated / "apps" / "echo.yaml").write_text("edited\n")
    drifted = runner.invoke(app, ["gen", "all", "--check", "--quiet"])
    assert (drifted.exit_code, drifted.output) == (1, "")
    written = runner.invoke(app, ["gen", "all", "-q"])
    assert (written.exit_code, written.output) == (0, "")


def test_output_is_plain_text_when_not_a_terminal(generated: Path) -> None:
    (generated / "apps" / "echo.yaml").write_text("edited\n")
    result = runner.invoke(app, ["gen", "all", "--check"], color=False)
    assert "\x1b[" not in result.output


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "environment", "coloured"),
    [
        (Terminal(), {}, True),
        (io.StringIO(), {}, False),
        (Terminal(), {"NO_COLOR": "1"}, False),
        (Terminal(), {"TERM": "dumb"}, False),
    ],
    ids=["terminal", "pipe", "no-color", "dumb-terminal"],
)
def test_colour_only_on_a_terminal_that_wants_it(
    stream: io.StringIO, environment: dict[str, str], coloured: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert colour_on(stream) is coloured


def test_coloured_diff_marks_additions_and_removals(capsys: pytest.CaptureFixture[str]) -> None:
    echo_diff(["--- a/x", "+++ b/x", "@@ -1 +1 @@", "-old", "+new", " same"], colour=True)
    out = capsys.readouterr().out.splitlines()
    assert out[3] == "\x1b[31m-old\x1b[0m" and out[4] == "\x1b[32m+new\x1b[0m" and out[5] == " same"


@pytest.mark.parametrize(
    ("stream", "total", "shown"),
    [(Terminal(), 3, True), (io.StringIO(), 3, False), (Terminal(), 1, False)],
    ids=["fleet-on-a-terminal", "fleet-to-a-pipe", "one-cluster"],
)
def test_progress_shows_only_for_several_clusters_on_a_terminal(
    stream: io.StringIO, total: int, shown: bool
) -> None:
    progress = Progress(total, stream)
    progress.step("shop")
    progress.close()
    assert ("[1/3] shop" in stream.getvalue()) is shown
    assert stream.getvalue() == "" or stream.getvalue().endswith("\r\x1b[K")
