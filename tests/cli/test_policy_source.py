"""Reading policies: the release's published policy from the cache (or downloaded once), files, URLs."""

from __future__ import annotations

import copy
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from eksnet_manifests.cli.policy_source import load_lbc_policy, published_policy, read_policy, resolve_policy
from eksnet_manifests.errors import SpecError
from eksnet_manifests.profile.load import load_profile
from eksnet_manifests.synth.iam.lbc_policy import diff_actions

LISTENER_ATTRIBUTES = "elasticloadbalancing:DescribeListenerAttributes"


def older_policy(policy: dict) -> dict:
    """``policy`` without DescribeListenerAttributes, as releases before it was needed published it."""
    older = copy.deepcopy(policy)
    for statement in older["Statement"]:
        if isinstance(statement["Action"], list):
            statement["Action"] = [a for a in statement["Action"] if a != LISTENER_ATTRIBUTES]
    return older


def test_cached_release_policy_is_read_without_network(seed_cache, upstream_policy_file) -> None:
    # GIVEN v3.5.0 in the cache / WHEN asked for v3.5.0 / THEN the cached copy of the published file
    seed_cache("v3.5.0")
    assert published_policy("v3.5.0") == json.loads(upstream_policy_file.read_text())


def test_download_is_cached_for_the_next_read(cache_dir: Path, tmp_path: Path, upstream_policy_file) -> None:
    # GIVEN a mirror laid out like the release tree (file:// stands in for raw.githubusercontent.com)
    mirror = tmp_path / "mirror"
    (mirror / "v3.5.0" / "docs" / "install").mkdir(parents=True)
    (mirror / "v3.5.0" / "docs" / "install" / "iam_policy.json").write_bytes(
        upstream_policy_file.read_bytes()
    )
    # WHEN it is read once, THEN it is cached; a second read no longer needs the mirror
    first = published_policy("v3.5.0", base_url=mirror.as_uri())
    assert (cache_dir / "v3.5.0" / "iam_policy.json").is_file()
    second = published_policy("v3.5.0", base_url=(tmp_path / "gone").as_uri())
    assert first == second == json.loads(upstream_policy_file.read_text())


def test_release_without_a_policy_is_an_error_and_caches_nothing(cache_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="download failed"):
        published_policy("v9.9.9", base_url=(tmp_path / "empty").as_uri())
    assert not (cache_dir / "v9.9.9").exists()


def test_each_version_reads_its_own_release_policy(seed_cache, upstream_policy_file) -> None:
    # GIVEN two releases cached / WHEN diffed by version / THEN the newer adds DescribeListenerAttributes
    newer = json.loads(upstream_policy_file.read_text())
    seed_cache("v3.5.0")
    seed_cache("v2.7.0", older_policy(newer))
    change = diff_actions(resolve_policy("v2.7.0"), resolve_policy("v3.5.0"))
    assert change.added == (LISTENER_ATTRIBUTES,)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            '{"Version": "2012-10-17",\n  "Statement": [,]}', r"policy.json:2: invalid JSON", id="json"
        ),
        pytest.param(
            '{"Version": "2012-10-17", "Statement": []}', "not an IAM policy: Statement must", id="grammar"
        ),
    ],
)
def test_bad_policy_file_is_a_spec_error_naming_the_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "policy.json"
    path.write_text(content)
    with pytest.raises(SpecError, match=message):
        read_policy(str(path))


def test_missing_file_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot read policy: No such file"):
        read_policy(str(tmp_path / "missing.json"))


def test_unknown_partition_is_a_spec_error(cache_dir: Path) -> None:
    with pytest.raises(SpecError, match="unknown AWS partition 'aws-mars'"):
        published_policy("v3.5.0", "aws-mars")


def lab_profile_file(tmp_path: Path, version: str, extra: str = "") -> Path:
    """The bundled lab profile, pinned to ``version``, with ``extra`` lines under loadBalancerController."""
    text = resources.files("eksnet_manifests.examples").joinpath("myeks.yaml").read_text("utf-8")
    text, count = re.subn(r"(loadBalancerController:\n  version: )v\S+\n", rf"\g<1>{version}\n{extra}", text)
    assert count == 1
    path = tmp_path / "profile" / "eksnet.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def test_gen_reads_the_policy_of_the_pinned_release(tmp_path: Path, seed_cache, upstream_policy_file) -> None:
    # GIVEN the lab pinned to v3.5.0, and another release cached too / WHEN loaded / THEN v3.5.0's policy
    newer = json.loads(upstream_policy_file.read_text())
    seed_cache("v3.5.0")
    seed_cache("v3.1.0", older_policy(newer))
    loaded = load_profile(lab_profile_file(tmp_path, "v3.5.0"))
    assert loaded.profile.load_balancer_controller.version == "v3.5.0"
    assert load_lbc_policy(loaded) == newer


def test_iam_policy_field_is_read_relative_to_the_profile(
    tmp_path: Path, cache_dir: Path, upstream_policy_file
) -> None:
    path = lab_profile_file(tmp_path, "v3.5.0", "  iamPolicy: policies/lbc.json\n")
    assert load_profile(path).profile.load_balancer_controller.iam_policy == "policies/lbc.json"
    (path.parent / "policies").mkdir()
    (path.parent / "policies" / "lbc.json").write_bytes(upstream_policy_file.read_bytes())
    assert load_lbc_policy(load_profile(path)) == json.loads(upstream_policy_file.read_text())


def test_unreadable_iam_policy_points_at_the_profile_field(tmp_path: Path, cache_dir: Path) -> None:
    path = lab_profile_file(tmp_path, "v3.5.0", "  iamPolicy: missing.json\n")
    loaded = load_profile(path)
    with pytest.raises(SpecError) as caught:
        load_lbc_policy(loaded)
    line = loaded.source.locate(("loadBalancerController", "iamPolicy")).line
    assert str(caught.value).startswith(f"{path}:{line}: loadBalancerController.iamPolicy: ")
    assert "missing.json: cannot read" in str(caught.value)
