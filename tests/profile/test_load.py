"""Profiles load into typed models; every bad input is one SpecError naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from eksnet_manifests.errors import SpecError
from eksnet_manifests.profile.load import load_profile, parse_profile

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "profiles"

BASE = """\
cluster:
  name: myeks
  region: ap-northeast-2
  vpcId: vpc-0123456789abcdef0
nodeGroups:
  - name: primary
    instanceType: t3.medium
    desiredSize: 3
externalDns:
  domainFilters: [example.com]
apps:
  - name: echo
    port: 8080
    expose:
      type: nlb
      hosts: [echo.example.com]
"""


def test_bundled_profile_reproduces_the_lab_cluster() -> None:
    loaded = load_profile(None)
    cluster = loaded.profile.cluster
    assert (cluster.name, cluster.region, cluster.kubernetes_version, cluster.vpc_cidr) == (
        "myeks",
        "ap-northeast-2",
        "1.34",
        "192.168.0.0/16",
    )
    group = loaded.profile.node_groups[0]
    assert (group.instance_type, group.desired_size) == ("t3.medium", 3)
    kinds = {app.name: app.expose.type for app in loaded.profile.apps}
    assert kinds == {
        "echo": "nlb",
        "game-2048": "alb",
        "tetris": "nlb",
        "gwapi": "gateway",
        "netshoot": "none",
    }


def test_profile_with_only_cluster_node_groups_and_apps_gets_defaults() -> None:
    loaded = load_profile(FIXTURES / "minimal.yaml")
    app = loaded.profile.resolved_apps()[0]
    assert (app.namespace, app.image, app.port, app.replicas) == ("default", "nginx:alpine", 80, 2)
    assert loaded.profile.load_balancer_controller.version == "v3.5.0"
    assert loaded.profile.external_dns.policy == "upsert-only"


def test_hosts_are_normalised_to_lowercase_without_trailing_dot() -> None:
    loaded = parse_profile(BASE.replace("echo.example.com", "Echo.Example.COM."), "p.yaml")
    assert loaded.profile.apps[0].expose.hosts == ("echo.example.com",)


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "message"),
    [
        ("    port: 8080\n", "    port: 8080\n    colour: blue\n", 14, "apps[0].colour", "unknown field"),
        ("    port: 8080", "    port: eighty", 13, "apps[0].port", "whole number"),
        ("    port: 8080", "    port: 70000", 13, "apps[0].port", "less than or equal to 65535"),
        (
            "hosts: [echo.example.com]",
            "hosts: [echo_bad.example.com]",
            16,
            "apps[0].expose.hosts[0]",
            "valid DNS hostname",
        ),
        ("hosts: [echo.example.com]", "hosts: [echo.other.org]", 16, "apps[0].expose.hosts", "outside every"),
        (
            "      type: nlb",
            "      type: elb",
            15,
            "apps[0].expose.type",
            "'elb' is not one of nlb, alb, gateway, none",
        ),
        ("  vpcId: vpc-0123456789abcdef0", "  vpcId: vpc-XYZ", 4, "cluster.vpcId", "not a VPC ID"),
        ("  name: myeks", "  name: My_EKS", 2, "cluster.name", "DNS-1123"),
        (
            "  region: ap-northeast-2\n",
            "  region: ap-northeast-2\n  kubernetesVersion: 1.30\n",
            4,
            "cluster.kubernetesVersion",
            "but YAML read a number: quote the value",
        ),
    ],
    ids=[
        "unknown-field",
        "wrong-type",
        "port-range",
        "bad-hostname",
        "host-outside-domain-filter",
        "bad-expose-type",
        "bad-vpc",
        "bad-cluster-name",
        "unquoted-version",
    ],
)
def test_bad_input_names_file_line_and_field(old: str, new: str, line: int, field: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        parse_profile(BASE.replace(old, new, 1), "profile.yaml")
    error = caught.value
    assert (error.location.file, error.location.line, error.location.field) == ("profile.yaml", line, field)
    assert message in error.message
    assert "\n" not in str(error)


def test_duplicate_app_names_are_rejected_at_the_second_app() -> None:
    text = BASE + "  - name: echo\n"
    with pytest.raises(SpecError) as caught:
        parse_profile(text, "p.yaml")
    assert caught.value.location.line == 17
    assert "duplicate app name 'echo'" in caught.value.message


def test_gateway_exposure_needs_lbc_v2_14_or_newer() -> None:
    text = BASE.replace("type: nlb", "type: gateway") + "loadBalancerController:\n  version: v2.13.3\n"
    with pytest.raises(SpecError) as caught:
        parse_profile(text, "p.yaml")
    assert caught.value.location.field == "apps[0].expose.type"
    assert caught.value.location.line == 15
    assert "v2.14.0 or newer" in caught.value.message


def test_missing_required_section_is_reported() -> None:
    with pytest.raises(SpecError) as caught:
        parse_profile(BASE.split("apps:")[0], "p.yaml")
    assert caught.value.location.field == "apps"
    assert caught.value.message == "field required"


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(SpecError) as caught:
        parse_profile(BASE + "  - name: [unclosed\n", "p.yaml")
    assert caught.value.location.file == "p.yaml"
    assert caught.value.location.line is not None
    assert caught.value.message.startswith("invalid YAML")


def test_duplicate_yaml_keys_are_errors() -> None:
    with pytest.raises(SpecError) as caught:
        parse_profile(
            BASE.replace("  region: ap-northeast-2\n", "  region: ap-northeast-2\n  region: us-east-1\n"),
            "p.yaml",
        )
    assert caught.value.location.line == 4


def test_explicit_external_dns_sources_must_cover_the_apps() -> None:
    text = BASE.replace(
        "  domainFilters: [example.com]\n", "  domainFilters: [example.com]\n  sources: [ingress]\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_profile(text, "p.yaml")
    assert caught.value.location.field == "externalDns.sources"
    assert "missing service" in caught.value.message


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        (
            "  chartVersion: 9.9.9\n",
            "externalDns.chartVersion",
            "external-dns chart 9.9.9 is not known to eksnet",
        ),
        ("  version: v0.13.0\n", "externalDns.version", "ExternalDNS v0.13.0 is older than v0.14.0"),
    ],
    ids=["unknown-chart", "release-older-than-the-table"],
)
def test_an_external_dns_release_eksnet_cannot_answer_for_is_refused(
    extra: str, field: str, message: str
) -> None:
    with pytest.raises(SpecError) as caught:
        parse_profile(
            BASE.replace("  domainFilters: [example.com]\n", f"  domainFilters: [example.com]\n{extra}"),
            "p.yaml",
        )
    assert caught.value.location.field == field and message in caught.value.message


def test_an_unknown_chart_is_accepted_with_the_release_it_deploys() -> None:
    extra = "  chartVersion: 1.22.0\n  version: v0.22.0\n"
    loaded = parse_profile(
        BASE.replace("  domainFilters: [example.com]\n", f"  domainFilters: [example.com]\n{extra}"), "p.yaml"
    )
    assert loaded.profile.external_dns.release == "v0.22.0"


@pytest.mark.parametrize(
    ("version", "chart", "accepted"),
    [
        ("v3.1.1", "3.1.1", True),
        ("v3.1.1", "1.17.1", False),
        ("v2.14.1", "1.14.1", True),
        ("v3.5.0", None, True),
    ],
    ids=["unlisted-release-same-chart-major", "unlisted-release-other-major", "listed-pair", "derived"],
)
def test_lbc_chart_must_ship_the_controller_release(version: str, chart: str | None, accepted: bool) -> None:
    section = f"loadBalancerController:\n  version: {version}\n" + (
        f"  chartVersion: {chart}\n" if chart else ""
    )
    if accepted:
        parse_profile(BASE + section, "p.yaml")
        return
    with pytest.raises(SpecError, match="does not ship controller"):
        parse_profile(BASE + section, "p.yaml")
