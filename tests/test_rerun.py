"""gen all on unchanged inputs answers from the last run's record; any change to any input runs in full."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eksnet_manifests import generate, rerun
from eksnet_manifests.cli import app

runner = CliRunner()
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WIDGET_CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object}}
"""


def crd_folder(root: Path) -> Path:
    (root / "crds").mkdir(exist_ok=True)
    (root / "crds" / "widget.yaml").write_text(WIDGET_CRD)
    return root / "crds"


@pytest.fixture
def fleet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A layered profile (extends a base that includes team app files) in a folder of its own."""
    shutil.copytree(FIXTURES / "fleet", tmp_path / "fleet")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(rerun.RECORDS_ENV, str(tmp_path / "records"))
    return tmp_path / "fleet"


def gen_all(*extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["gen", "all", "-p", "fleet/prod.yaml", *extra])
    return result.exit_code, result.output


@pytest.fixture
def synthesised(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The clusters generated in full from here on (each call of ``generate``)."""
    calls: list[str] = []
    real = generate.generate

    def counted(loaded, opts, **kwargs):
        calls.append(loaded.profile.cluster.name)
        return real(loaded, opts, **kwargs)

    monkeypatch.setattr(generate, "generate", counted)
    return calls


def test_unchanged_rerun_and_check_answer_from_the_record(fleet: Path, synthesised: list[str]) -> None:
    # GIVEN a tree gen all wrote
    code, first = gen_all()
    assert code == 0 and synthesised == ["prod"]
    # WHEN gen all and gen all --check run again on the same inputs
    code_again, again = gen_all()
    code_check, check = gen_all("--check")
    # THEN neither synthesises, and both say what a full run would say
    assert synthesised == ["prod"]
    assert (code_again, code_check) == (0, 0)
    assert "out/prod: unchanged (0 added, 0 changed, 0 removed, 0 not managed by eksnet)" in again
    assert "out/prod: up to date (0 added, 0 changed, 0 removed, 0 not managed by eksnet)" in check
    notes = [line for line in first.splitlines() if line.startswith(("note:", "warning", "fleet/"))]
    assert notes and all(line in again for line in notes)


def _edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        file = root / path
        text = file.read_text()
        assert old in text
        file.write_text(text.replace(old, new, 1))

    return change


def _add_team(root: Path) -> None:
    (root / "fleet" / "teams" / "search.yaml").write_text("apps:\n  - name: search\n")


def _remove_team(root: Path) -> None:
    (root / "fleet" / "teams" / "web.yaml").unlink()


def _touch_crd_source(root: Path) -> None:
    (root / "crds" / "widget.yaml").write_text(WIDGET_CRD.replace("type: object", "type: object, x: 1"))


def _change_crd_cache(root: Path) -> None:
    cache = Path(rerun.os.environ["EKSNET_CRD_CACHE"])
    (cache / "flux" / "v0.0.1.json").parent.mkdir(parents=True, exist_ok=True)
    (cache / "flux" / "v0.0.1.json").write_text("[]\n")


def _hand_edit_generated_file(root: Path) -> None:
    (root / "out" / "prod" / "platform" / "namespaces.yaml").write_text("# edited by hand\n")


def _add_unmanaged_file(root: Path) -> None:
    (root / "out" / "prod" / "README.md").write_text("notes of our own\n")


def _remove_generated_file(root: Path) -> None:
    (root / "out" / "prod" / "TOPOLOGY.md").unlink()


def _leave_staging_folder(root: Path) -> None:
    (root / "out" / ".prod.eksnet-stage-1234").mkdir()


def _corrupt_record(root: Path) -> None:
    for record in (root / "records").glob("*.json"):
        record.write_text("{not json")


def _other_eksnet(root: Path) -> None:
    rerun._code_state.cache_clear()
    rerun.__version__ = "0.0.0-other"  # restored by the fixture's monkeypatch below


CHANGES: dict[str, Callable[[Path], None]] = {
    "profile-file": _edit("fleet/prod.yaml", "replicas: 6", "replicas: 5"),
    "profile-comment": _edit("fleet/prod.yaml", "# Production", "# Production cluster"),
    "extended-base": _edit("fleet/base.yaml", "desiredSize: 2", "desiredSize: 3"),
    "included-app-file": _edit("fleet/teams/web.yaml", "nginx:1.27", "nginx:1.28"),
    "included-file-added": _add_team,
    "included-file-removed": _remove_team,
    "crd-source-folder": _touch_crd_source,
    "crd-cache": _change_crd_cache,
    "generated-file-hand-edited": _hand_edit_generated_file,
    "file-added-to-tree": _add_unmanaged_file,
    "generated-file-removed": _remove_generated_file,
    "interrupted-run-left-staging": _leave_staging_folder,
    "corrupt-record": _corrupt_record,
    "eksnet-version": _other_eksnet,
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_changed_input_runs_in_full(
    change: Callable[[Path], None],
    fleet: Path,
    synthesised: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    crd_cache: Path,
) -> None:
    # GIVEN a recorded run (with a CRD folder and a CRD cache of its own)
    crd_folder(tmp_path)
    shutil.copytree(crd_cache, tmp_path / "crd-cache")
    monkeypatch.setenv("EKSNET_CRD_CACHE", str(tmp_path / "crd-cache"))
    monkeypatch.setattr(rerun, "__version__", rerun.__version__)
    assert gen_all("--crds", "crds")[0] == 0
    # WHEN one input changes THEN the next --check synthesises again
    change(tmp_path)
    code, output = gen_all("--crds", "crds", "--check")
    rerun._code_state.cache_clear()
    if change is _remove_team:  # its app is then only prod's overrides: the profile is read again
        assert code == 2 and "prod.yaml:12: apps[0].expose.type: type is required" in output
        return
    assert synthesised == ["prod", "prod"], output
    if change in (_hand_edit_generated_file, _remove_generated_file):
        assert code == 1 and "would change" in output
    if change is _add_unmanaged_file:
        assert "1 not managed by eksnet" in output


@pytest.mark.parametrize(
    "extra", [["--out", "elsewhere"], ["--crds", "crds"]], ids=["other-output-folder", "other-crd-sources"]
)
def test_other_options_run_in_full(
    extra: list[str], fleet: Path, synthesised: list[str], tmp_path: Path
) -> None:
    crd_folder(tmp_path)
    gen_all()
    gen_all(*extra)
    assert synthesised == ["prod", "prod"]


def test_an_environment_setting_runs_in_full(
    fleet: Path, synthesised: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    gen_all()
    monkeypatch.setenv("EKSNET_SOMETHING", "1")
    gen_all("--check")
    assert synthesised == ["prod", "prod"]


def test_a_check_that_finds_drift_leaves_no_record(
    fleet: Path, synthesised: list[str], tmp_path: Path
) -> None:
    # GIVEN a tree with a hand edit WHEN --check reports it twice THEN both runs compare in full
    gen_all()
    _hand_edit_generated_file(tmp_path)
    assert gen_all("--check")[0] == 1
    assert gen_all("--check")[0] == 1
    assert synthesised == ["prod", "prod", "prod"]


def test_a_run_after_a_failed_download_leaves_no_record(fleet: Path, synthesised: list[str]) -> None:
    # GIVEN a run that needed a CRD set missing from the cache (a download may get it the next time)
    from eksnet_manifests.check.schema import crd_cache

    with pytest.MonkeyPatch.context() as patched:
        tried = iter(range(100))
        patched.setattr(crd_cache, "downloads_tried", lambda: next(tried))
        gen_all()
    gen_all("--check")
    assert synthesised == ["prod", "prod"]


def test_a_corrupt_record_is_written_again(fleet: Path, synthesised: list[str], tmp_path: Path) -> None:
    gen_all()
    _corrupt_record(tmp_path)
    gen_all("--check")
    gen_all("--check")
    assert synthesised == ["prod", "prod"]
    records = list((tmp_path / "records").glob("*.json"))
    assert len(records) == 1 and json.loads(records[0].read_text())["cluster"] == "prod"
