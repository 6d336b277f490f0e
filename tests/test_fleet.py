"""A fleet: one repository, two clusters (staging, and prod as an overlay of it) and two teams' app
files. Removing an app removes exactly its files, a hand-added file survives every run and is reported,
and --check fails after a hand edit with a diff naming the file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from eksnet_manifests.cli import app

FLEET = Path(__file__).resolve().parent / "fixtures" / "fleet"
runner = CliRunner()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fleet's repository with both trees generated once."""
    repo = tmp_path_factory.mktemp("fleet") / "repo"
    shutil.copytree(FLEET, repo)
    profiles = ["-p", str(repo / "base.yaml"), "-p", str(repo / "prod.yaml")]
    result = runner.invoke(app, ["gen", "all", *profiles, "--out", str(repo / "out")])
    assert result.exit_code == 0, result.output
    return repo


@pytest.fixture
def fleet(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the generated repository to change, as the working folder."""
    shutil.copytree(generated, tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    return tmp_path / "repo"


def gen(*extra: str) -> tuple[int, list[str]]:
    result = runner.invoke(app, ["gen", "all", "-p", "base.yaml", "-p", "prod.yaml", *extra])
    return result.exit_code, result.stdout.splitlines()


def objects(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def test_the_overlay_wins_and_each_cluster_gets_its_tree(fleet: Path) -> None:
    staging, prod = (
        objects(fleet / "out" / name / "apps" / "storefront.yaml") for name in ("staging", "prod")
    )
    by_kind = [{obj["kind"]: obj for obj in tree} for tree in (staging, prod)]
    assert [tree["Deployment"]["spec"]["replicas"] for tree in by_kind] == [2, 6]
    schemes = [
        tree["Ingress"]["metadata"]["annotations"]["alb.ingress.kubernetes.io/scheme"] for tree in by_kind
    ]
    assert schemes == ["internal", "internet-facing"]
    assert by_kind[1]["Ingress"]["spec"]["rules"][0]["host"] == "www.shop.example.org"
    # the team's image stays where the overlay says nothing about it
    [orders] = [
        obj for obj in objects(fleet / "out" / "prod" / "apps" / "orders.yaml") if obj["kind"] == "Deployment"
    ]
    assert orders["spec"]["replicas"] == 3
    assert orders["spec"]["template"]["spec"]["containers"][0]["image"] == "public.ecr.aws/nginx/nginx:1.27"


def test_one_application_set_deploys_every_cluster_tree(fleet: Path) -> None:
    sets = [
        (fleet / "out" / name / "argocd" / "applicationset.yaml").read_bytes() for name in ("staging", "prod")
    ]
    assert sets[0] == sets[1]
    [application_set] = objects(fleet / "out" / "prod" / "argocd" / "applicationset.yaml")
    [generator] = application_set["spec"]["generators"]
    assert generator["git"]["directories"] == [{"path": "out/*/argocd/applications"}]
    for name in ("staging", "prod"):
        assert (fleet / "out" / name / "argocd" / "applications" / "kustomization.yaml").is_file()
        [root] = objects(fleet / "out" / name / "argocd" / "root.yaml")
        assert root["metadata"]["name"] == name  # what the ApplicationSet names it after its folder
        assert root["spec"]["source"]["path"] == f"out/{name}/argocd/applications"
    [platform] = objects(fleet / "out" / "prod" / "argocd" / "applications" / "platform.yaml")
    assert platform["spec"]["destination"] == {"name": "prod"}


def test_removing_an_app_removes_exactly_its_files_and_hand_added_files_stay(fleet: Path) -> None:
    # GIVEN both trees, and files a person added to them
    notes = fleet / "out" / "prod" / "apps" / "NOTES.md"
    notes.write_text("runbook\n")
    (fleet / "out" / "staging" / "README.md").write_text("staging\n")
    before = {path for path in (fleet / "out").rglob("*") if path.is_file()}
    # WHEN team checkout drops its payments app and the fleet is generated again
    team = fleet / "teams" / "checkout.yaml"
    team.write_text(team.read_text().split("  - name: payments")[0])
    code, lines = gen()
    # THEN exactly the app's file goes from each cluster; the hand-added files stay and are reported
    assert code == 0
    assert [line for line in lines if line.startswith("- ")] == ["- apps/payments.yaml"] * 2
    assert "? apps/NOTES.md" in lines and "? README.md" in lines
    after = {path for path in (fleet / "out").rglob("*") if path.is_file()}
    assert before - after == {fleet / "out" / name / "apps" / "payments.yaml" for name in ("staging", "prod")}
    assert notes.read_text() == "runbook\n"
    # AND a run with nothing to change keeps them too
    code, lines = gen()
    assert code == 0 and notes.is_file() and [line for line in lines if line[:2] in ("+ ", "- ", "~ ")] == []


def test_check_fails_after_a_hand_edit_with_a_diff_naming_the_file(fleet: Path) -> None:
    edited = fleet / "out" / "prod" / "apps" / "orders.yaml"
    edited.write_text(edited.read_text().replace("replicas: 3", "replicas: 30"))
    code, lines = gen("--check")
    assert code == 1
    assert "--- a/prod/apps/orders.yaml" in lines and "-  replicas: 30" in lines and "+  replicas: 3" in lines
    assert "replicas: 30" in edited.read_text()


def test_an_error_in_a_team_file_names_that_file_and_line(fleet: Path) -> None:
    team = fleet / "teams" / "web.yaml"
    team.write_text(team.read_text().replace("type: alb", "type: alb\n      scheme: public"))
    # (prod sets the scheme itself, so only staging reads the team's)
    result = runner.invoke(app, ["gen", "all", "-p", "base.yaml"])
    assert result.exit_code == 2
    assert "teams/web.yaml:7: apps[0].expose.scheme:" in result.output


def test_the_merged_profile_shown_loads_to_the_same_profile(fleet: Path) -> None:
    from eksnet_manifests.profile.load import load_profile, parse_profile

    result = runner.invoke(app, ["profile", "show", "--merged", "-p", "prod.yaml"])
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "# prod: merged from (a later file wins) base.yaml, teams/checkout.yaml, teams/web.yaml, prod.yaml"
    )
    assert parse_profile(result.stdout, "merged.yaml").profile == load_profile(Path("prod.yaml")).profile
