"""`eksnet validate` says what it checked, refuses empty input, and goes on past a file that won't parse."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from eksnet_manifests.cli import app

runner = CliRunner()
SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n"
BAD_SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {name: bad}\nspec: {ports: [{port: eighty}]}\n"


@pytest.fixture(autouse=True)
def no_profile_around(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def validate(*args: str, stdin: str | None = None):
    return runner.invoke(app, ["validate", *args], input=stdin)


@pytest.mark.parametrize(
    ("make", "args"),
    [
        (lambda root: (root / "empty").mkdir(), ["empty"]),
        (lambda root: (root / "docs").mkdir() or (root / "docs" / "README.md").write_text("x"), ["docs"]),
        (lambda root: None, ["-"]),
        (lambda root: (root / "blank.yaml").write_text("---\n# nothing\n"), ["blank.yaml"]),
    ],
    ids=["empty-folder", "folder-without-yaml", "empty-stdin", "only-comments"],
)
def test_nothing_to_validate_is_bad_input_unless_allowed(tmp_path: Path, make, args: list[str]) -> None:
    make(tmp_path)
    result = validate(*args, stdin="")
    assert result.exit_code == 2, result.output
    assert "nothing to validate" in result.output
    assert validate(*args, "--allow-empty", stdin="").exit_code == 0


def test_summary_says_files_objects_and_kinds(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(SERVICE + "---\n" + SERVICE.replace("web", "api"))
    result = validate("a.yaml")
    assert result.exit_code == 0
    assert "checked 1 file, 2 objects (Service 2): 0 errors, 0 warnings" in result.output


def test_syntax_error_is_a_finding_and_other_files_are_still_checked(tmp_path: Path) -> None:
    # GIVEN one file that does not parse and one with an invalid Service
    (tmp_path / "broken.yaml").write_text("a: [1\nb: 2\n")
    (tmp_path / "svc.yaml").write_text(BAD_SERVICE)
    # WHEN the folder is validated with JSON output
    result = validate(".", "--output", "json")
    # THEN both are reported, the syntax error at its file and line, and the run fails with exit 1
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [(Path(f["file"]).name, f["line"], f["rule"]) for f in findings] == [
        ("broken.yaml", 2, "yaml-syntax"),
        ("svc.yaml", 4, "schema"),  # the line of the bad port
    ]


def test_junit_output_has_one_case_per_file_failing_on_errors(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(SERVICE)
    (tmp_path / "bad.yaml").write_text(BAD_SERVICE)
    result = validate(".", "--output", "junit")
    assert result.exit_code == 1
    suites = ElementTree.fromstring(result.stdout)
    cases = {Path(case.get("name")).name: case for case in suites.iter("testcase")}
    assert set(cases) == {"good.yaml", "bad.yaml"}
    assert cases["good.yaml"].find("failure") is None
    assert cases["bad.yaml"].find("failure").get("type") == "schema"
    assert (suites.get("tests"), suites.get("failures")) == ("2", "1")


def test_sarif_output_has_the_sarif_2_1_0_shape(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD_SERVICE)
    result = validate("bad.yaml", "--output", "sarif")
    sarif = json.loads(result.stdout)
    [run] = sarif["runs"]
    [finding] = run["results"]
    assert finding["locations"][0]["physicalLocation"]["region"] == {"startLine": 4}
    assert finding["level"] == "error"
    assert run["tool"]["driver"]["rules"][finding["ruleIndex"]]["id"] == finding["ruleId"]
    assert (sarif["version"], run["tool"]["driver"]["name"]) == ("2.1.0", "eksnet")
    assert finding["message"]["text"].startswith('Invalid value: "eighty"')


def test_control_characters_from_the_input_are_escaped_in_findings(tmp_path: Path) -> None:
    # GIVEN a name carrying a terminal title escape and a carriage return forging an "error:" line
    name = "web\x1b]0;pwned\x07\rerror: all good"
    (tmp_path / "a.yaml").write_text(SERVICE.replace("{name: web}", json.dumps({"name": name})))
    result = validate("a.yaml")
    assert "\x1b" not in result.output and "\r" not in result.output
    assert "web\\x1b]0;pwned\\x07\\rerror: all good" in result.output


def test_crd_source_that_is_a_fifo_fails_at_once(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(SERVICE)
    os.mkfifo(tmp_path / "crds.yaml")
    result = validate("a.yaml", "--crds", "crds.yaml")
    assert result.exit_code == 2
    assert "crds.yaml: cannot read file: a FIFO, not a regular file" in result.output


def test_validate_uses_the_profile_found_upward(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # GIVEN eksnet.yaml one folder up pinning Kubernetes 1.99 (a version with no bundled schemas)
    profile = Path(__file__).resolve().parents[1] / "fixtures" / "profiles" / "minimal.yaml"
    text = profile.read_text().replace(
        "  region: us-east-1\n", '  region: us-east-1\n  kubernetesVersion: "1.99"\n'
    )
    (tmp_path / "eksnet.yaml").write_text(text)
    (tmp_path / "manifests").mkdir()
    (tmp_path / "manifests" / "a.yaml").write_text(SERVICE)
    monkeypatch.chdir(tmp_path / "manifests")
    # WHEN validate runs below it without --profile THEN the profile's Kubernetes version applies
    result = validate("a.yaml")
    assert "1.99" in result.output
