"""``eksnet iam``: pinned LBC policy out of the cache, upgrade diffs, policy checks; bad input exits 2."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from eksnet_manifests.cli._boundary import BoundaryGroup
from eksnet_manifests.cli.iam import iam_app

LISTENER_ATTRIBUTES = "elasticloadbalancing:DescribeListenerAttributes"


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    root = typer.Typer(cls=BoundaryGroup)
    root.add_typer(iam_app, name="iam")
    return root


def invoke(app: typer.Typer, *args: str):
    return CliRunner().invoke(app, ["iam", *args])


def write_json(path: Path, doc: dict) -> str:
    path.write_text(json.dumps(doc))
    return str(path)


def test_lbc_policy_writes_the_cached_release_policy(
    app, seed_cache, upstream_policy_file, tmp_path: Path
) -> None:
    # GIVEN v3.5.0 cached / WHEN `iam lbc-policy --version v3.5.0 --out F` / THEN F holds that policy
    seed_cache("v3.5.0")
    out = tmp_path / "lbc.policy.json"
    result = invoke(app, "lbc-policy", "--version", "v3.5.0", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == json.loads(upstream_policy_file.read_text())


def test_lbc_policy_from_file_prints_the_canonical_json(app, cache_dir, upstream_policy_file) -> None:
    result = invoke(app, "lbc-policy", "--from", str(upstream_policy_file))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(upstream_policy_file.read_text())
    assert result.stdout.startswith('{\n  "Statement": [')


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param([], "give --version", id="no-source"),
        pytest.param(["--from", "missing.json"], "missing.json: cannot read", id="missing-file"),
        pytest.param(
            ["--version", "v3.5.0", "--partition", "aws-mars"], "unknown AWS partition", id="partition"
        ),
    ],
)
def test_lbc_policy_bad_input_exits_2_with_one_line(app, cache_dir, args: list[str], message: str) -> None:
    result = invoke(app, "lbc-policy", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_diff_by_versions_shows_the_added_action_and_exits_1(app, seed_cache, upstream_policy_file) -> None:
    # GIVEN an older release without DescribeListenerAttributes / WHEN diffed / THEN "+ action", exit 1
    newer = json.loads(upstream_policy_file.read_text())
    older = copy.deepcopy(newer)
    for statement in older["Statement"]:
        if isinstance(statement["Action"], list):
            statement["Action"] = [a for a in statement["Action"] if a != LISTENER_ATTRIBUTES]
    seed_cache("v3.5.0")
    seed_cache("v2.7.0", older)
    result = invoke(app, "diff", "v2.7.0", "v3.5.0")
    assert result.exit_code == 1
    assert result.stdout == f"+ {LISTENER_ATTRIBUTES}\n"
    assert "1 action(s) added, 0 removed" in result.stderr


def test_diff_of_equal_policies_exits_0(app, cache_dir, upstream_policy_file, tmp_path: Path) -> None:
    copy_path = write_json(tmp_path / "copy.json", json.loads(upstream_policy_file.read_text()))
    result = invoke(app, "diff", str(upstream_policy_file), copy_path)
    assert result.exit_code == 0
    assert result.stdout == ""


def test_check_passes_the_upstream_policy(app, upstream_policy_file) -> None:
    result = invoke(app, "check", str(upstream_policy_file))
    assert result.exit_code == 0, result.output


def test_check_names_each_problem_and_exits_1(app, tmp_path: Path) -> None:
    # GIVEN a trust policy open to every ServiceAccount / WHEN checked / THEN the problem is printed, exit 1
    issuer = "oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": f"arn:aws:iam::111122223333:oidc-provider/{issuer}"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {f"{issuer}:aud": "sts.amazonaws.com"}},
            }
        ],
    }
    path = write_json(tmp_path / "trust.json", trust)
    result = invoke(app, "check", path)
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}: Statement[0]: no StringEquals {issuer}:sub condition")


def test_check_of_invalid_json_exits_2_at_the_line(app, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "Version": }')
    result = invoke(app, "check", str(path))
    assert result.exit_code == 2
    assert f"{path}:2: invalid JSON" in result.stderr


@pytest.mark.parametrize(
    ("statement", "flagged"),
    [
        ({"Action": ["s3:DeleteObject", "s3:GetObject"], "Resource": "*"}, "s3:DeleteObject allowed on"),
        ({"Action": "ec2:*", "Resource": ["*"]}, "ec2:* allowed on"),
        ({"NotAction": "iam:*", "Resource": "*"}, "everything but iam:* allowed on"),
        ({"Action": "ec2:Describe*", "Resource": "*"}, None),
        ({"Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::bucket/*"}, None),
        (
            {
                "Action": "ec2:DeleteSecurityGroup",
                "Resource": "*",
                "Condition": {"Null": {"aws:ResourceTag/elbv2.k8s.aws/cluster": "false"}},
            },
            None,
        ),
    ],
    ids=["write-among-reads", "service-wildcard", "not-action", "reads-only", "scoped", "conditioned"],
)
def test_check_flags_unconditioned_writes_on_every_resource(
    app, tmp_path: Path, statement: dict, flagged: str | None
) -> None:
    path = write_json(
        tmp_path / "policy.json", {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **statement}]}
    )
    result = invoke(app, "check", path)
    strict = invoke(app, "check", path, "--strict")
    if flagged is None:
        assert (result.exit_code, result.stdout, strict.exit_code) == (0, "", 0)
    else:
        assert result.exit_code == 0 and f"{path}: warning: Statement[0]: {flagged}" in result.stdout
        assert strict.exit_code == 1 and f"{path}: error: Statement[0]: {flagged}" in strict.stdout
