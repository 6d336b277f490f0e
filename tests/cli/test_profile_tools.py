"""init, profile show, schema and explain: what a new user reaches for before writing a profile."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from eksnet_manifests.cli import app
from eksnet_manifests.profile.explain import profile_json_schema
from eksnet_manifests.profile.load import load_profile
from eksnet_manifests.profile.starter import MODELINE

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    return tmp_path


def test_init_writes_a_profile_for_the_users_cluster(folder: Path) -> None:
    args = ["init", "--cluster", "shop", "--region", "eu-west-1", "--vpc-id", "vpc-0a1b2c3d4e5f60718"]
    result = runner.invoke(app, [*args, "--domain", "shop.example.org", "--instance-type", "m5.large"])
    assert result.exit_code == 0, result.output
    loaded = load_profile(folder / "eksnet.yaml")
    cluster = loaded.profile.cluster
    assert (cluster.name, cluster.region, cluster.vpc_id) == ("shop", "eu-west-1", "vpc-0a1b2c3d4e5f60718")
    assert loaded.profile.node_groups[0].instance_type == "m5.large"
    assert loaded.profile.external_dns.domain_filters == ("shop.example.org",)
    text = (folder / "eksnet.yaml").read_text()
    assert text.startswith(MODELINE + "\n") and "# " in text.splitlines()[1]
    assert json.loads((folder / "eksnet.schema.json").read_text()) == json.loads(profile_json_schema())


def test_init_defaults_the_cluster_to_the_folder_and_notes_the_placeholder_vpc(folder: Path) -> None:
    (folder / "Payments_API").mkdir()
    result = runner.invoke(app, ["init", "--region", "us-east-1", "--out", "Payments_API/eksnet.yaml"])
    assert result.exit_code == 0, result.output
    assert "cluster.vpcId is a placeholder" in result.output
    assert load_profile(folder / "Payments_API" / "eksnet.yaml").profile.cluster.name == "payments-api"


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--cluster", "Shop_1", "--region", "eu-west-1"], "--cluster"),
        (["--cluster", "shop", "--region", "eu-west-1\n"], "--region"),
        (["--cluster", "shop", "--region", "eu-west-1", "--vpc-id", "vpc-١٢٣٤٥٦٧٨"], "--vpc-id"),
        (["--cluster", "shop", "--region", "eu-west-1", "--domain", "a b.com"], "--domain"),
        (["--cluster", "shop"], "--region"),
    ],
    ids=["cluster", "region-newline", "vpc-unicode-digits", "domain", "no-region"],
)
def test_init_refuses_bad_values_naming_the_option(folder: Path, args: list[str], flag: str) -> None:
    result = runner.invoke(app, ["init", *args])
    assert result.exit_code == 2
    assert f"<command line>: {flag}:" in result.output
    assert not (folder / "eksnet.yaml").exists()


def test_init_never_overwrites_without_force(folder: Path) -> None:
    (folder / "eksnet.yaml").write_text("mine\n")
    result = runner.invoke(app, ["init", "--cluster", "shop", "--region", "eu-west-1"])
    assert result.exit_code == 2 and "already exists" in result.output
    assert (folder / "eksnet.yaml").read_text() == "mine\n"


def test_profile_show_prints_the_bundled_profile() -> None:
    result = runner.invoke(app, ["profile", "show"])
    assert result.exit_code == 0
    assert result.stdout == (REPO / "profiles" / "myeks.yaml").read_text()


def test_committed_schema_is_the_models_schema() -> None:
    committed = (REPO / "eksnet_manifests" / "examples" / "eksnet.schema.json").read_text()
    assert committed == profile_json_schema(), (
        "run: eksnet schema --out eksnet_manifests/examples/eksnet.schema.json"
    )
    assert runner.invoke(app, ["schema"]).stdout == committed


@pytest.mark.parametrize("profile", sorted((REPO / "profiles").glob("*.yaml")), ids=lambda p: p.name)
def test_example_profiles_carry_the_modeline_and_pass_the_schema(profile: Path) -> None:
    assert profile.read_text().startswith(MODELINE + "\n")
    schema = json.loads((profile.parent / "eksnet.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(profile.read_text()))


def test_schema_rejects_a_misspelt_key() -> None:
    data = yaml.safe_load((REPO / "profiles" / "myeks.yaml").read_text())
    data["nodegroups"] = data.pop("nodeGroups")
    errors = list(jsonschema.Draft202012Validator(json.loads(profile_json_schema())).iter_errors(data))
    assert {e.validator for e in errors} == {"additionalProperties", "required"}


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (
            "externalDns.policy",
            [
                "FIELD:    externalDns.policy <one of sync, upsert-only, create-only>",
                'DEFAULT:  "upsert-only"',
            ],
        ),
        ("apps.expose.scheme", ["IN:       type nlb, alb", "internet-facing"]),
        ("nodeGroups[].instanceType", ["<string>  (required)", "max pods"]),
        ("cluster", ["FIELDS:", "  vpcId <string>  (required)"]),
    ],
    ids=["enum-default", "union-field", "list-item", "section"],
)
def test_explain_prints_type_default_and_doc(field: str, expected: list[str]) -> None:
    result = runner.invoke(app, ["explain", field])
    assert result.exit_code == 0, result.output
    for line in expected:
        assert line in result.stdout


def test_explain_unknown_field_says_did_you_mean() -> None:
    result = runner.invoke(app, ["explain", "cluster.regoin"])
    assert result.exit_code == 2
    assert "cluster has no field 'regoin' (did you mean 'region'?)" in result.output
