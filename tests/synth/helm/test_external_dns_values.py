"""ExternalDNS values: valid for chart 1.21.1, Route 53 settings, sources and the TXT registry."""

from __future__ import annotations

import json
from typing import Any, get_args

import jsonschema
import pytest

from eksnet_manifests.errors import BuildError
from eksnet_manifests.profile.dns import ExternalDns, Source
from eksnet_manifests.synth.helm.external_dns_values import (
    EXTERNAL_DNS_VALUES_PATH,
    POLICIES,
    build_external_dns_values,
)

NLB_APP = {"name": "echo", "expose": {"type": "nlb", "hosts": ["echo.example.com"]}}
GATEWAY_APP = {"name": "web", "expose": {"type": "gateway", "hosts": ["web.example.com"]}}
INTERNAL_APP = {"name": "tools"}


def dns(**settings: Any) -> dict[str, Any]:
    return {"externalDns": settings}


@pytest.fixture(
    params=[
        pytest.param({"apps": [NLB_APP]}, id="defaults"),
        pytest.param(
            {
                "apps": [NLB_APP, GATEWAY_APP],
                **dns(
                    domainFilters=["example.com"],
                    policy="create-only",
                    txtPrefix="edns-",
                    hostedZoneIds=["Z0123456789ABCDEFGHIJ", "Z9876543210ABCDEFGHIJ"],
                    zoneType="public",
                    serviceAccount={"name": "external-dns", "create": True},
                    identity={"type": "irsa", "roleName": "demo-edns"},
                ),
            },
            id="every-setting",
        ),
        pytest.param({"apps": [NLB_APP], **dns(registry="noop")}, id="noop-registry"),
        pytest.param("lab", id="lab"),
    ]
)
def any_profile(request, make_profile, lab_profile):
    if request.param == "lab":
        return lab_profile
    sections = dict(request.param)
    return make_profile(*sections.pop("apps"), **sections)


@pytest.fixture(scope="session")
def values_schema(external_dns_chart) -> dict[str, Any]:
    return json.loads((external_dns_chart / "values.schema.json").read_text("utf-8"))


def test_values_pass_the_chart_schema(any_profile, values_schema) -> None:
    # GIVEN chart 1.21.1's values.schema.json / WHEN values are built / THEN helm would accept them
    jsonschema.Draft7Validator(values_schema).validate(build_external_dns_values(any_profile).content)


def test_every_key_is_declared_by_the_upstream_chart(
    any_profile, external_dns_chart_values, missing_chart_keys
) -> None:
    # The schema allows unknown top-level keys, so check them against values.yaml as well.
    values = build_external_dns_values(any_profile).content
    assert missing_chart_keys(values, external_dns_chart_values) == []


def test_values_are_plain_data_and_every_comment_names_a_key(any_profile, dotted_paths, is_plain) -> None:
    artifact = build_external_dns_values(any_profile)
    assert artifact.path == EXTERNAL_DNS_VALUES_PATH
    assert is_plain(artifact.content)
    assert set(artifact.comments) - dotted_paths(artifact.content) == set()


def test_provider_is_aws_with_the_cluster_region(any_profile) -> None:
    values = build_external_dns_values(any_profile).content
    assert values["provider"] == {"name": "aws"}
    assert values["env"] == [{"name": "AWS_DEFAULT_REGION", "value": any_profile.cluster.region}]


@pytest.mark.parametrize("policy", get_args(ExternalDns.model_fields["policy"].annotation))
def test_every_policy_maps_to_a_chart_policy(make_profile, values_schema, policy: str) -> None:
    # GIVEN each policy the profile accepts / THEN the chart's enum knows the mapped value
    values = build_external_dns_values(make_profile(NLB_APP, **dns(policy=policy))).content
    assert values["policy"] == POLICIES[policy][0]
    assert values["policy"] in values_schema["properties"]["policy"]["enum"]


def test_sources_are_derived_from_the_apps_when_unset(make_profile) -> None:
    profile = make_profile(GATEWAY_APP, NLB_APP, INTERNAL_APP)
    assert build_external_dns_values(profile).content["sources"] == list(profile.derived_sources())


def test_explicit_sources_are_kept_in_their_order(make_profile) -> None:
    sources = ["service", "gateway-grpcroute", "gateway-httproute"]
    profile = make_profile(GATEWAY_APP, NLB_APP, **dns(sources=sources))
    assert build_external_dns_values(profile).content["sources"] == sources


def test_internal_apps_only_keep_the_chart_default_sources(make_profile) -> None:
    # GIVEN no exposed app, so nothing to derive; THEN ExternalDNS keeps the chart's default and starts
    assert build_external_dns_values(make_profile(INTERNAL_APP)).content["sources"] == ["service", "ingress"]


def test_explicitly_empty_sources_are_a_build_error(make_profile) -> None:
    # ExternalDNS requires at least one --source.
    with pytest.raises(BuildError, match="at least one source") as raised:
        build_external_dns_values(make_profile(INTERNAL_APP, **dns(sources=[])))
    assert raised.value.location.field == "externalDns.sources"


def test_zone_ids_and_zone_type_become_extra_args(make_profile) -> None:
    zones = ["Z0123456789ABCDEFGHIJ", "Z9876543210ABCDEFGHIJ"]
    profile = make_profile(NLB_APP, **dns(hostedZoneIds=zones, zoneType="private"))
    assert build_external_dns_values(profile).content["extraArgs"] == [
        *(f"--zone-id-filter={zone}" for zone in zones),
        "--aws-zone-type=private",
    ]


def test_no_extra_args_without_zone_limits(make_profile) -> None:
    assert "extraArgs" not in build_external_dns_values(make_profile(NLB_APP)).content


def test_txt_owner_defaults_to_the_cluster_name(make_profile) -> None:
    values = build_external_dns_values(make_profile(NLB_APP)).content
    assert (values["registry"], values["txtOwnerId"]) == ("txt", "demo")
    assert "txtPrefix" not in values


def test_declared_txt_owner_and_prefix_are_used(make_profile) -> None:
    values = build_external_dns_values(
        make_profile(NLB_APP, **dns(txtOwnerId="team-a", txtPrefix="edns-"))
    ).content
    assert (values["txtOwnerId"], values["txtPrefix"]) == ("team-a", "edns-")


@pytest.mark.parametrize("field", ["txtOwnerId", "txtPrefix"])
def test_txt_settings_with_the_noop_registry_are_a_build_error(make_profile, field: str) -> None:
    # The chart passes TXT flags only with the txt registry, so they would be dropped.
    profile = make_profile(NLB_APP, **dns(registry="noop", **{field: "x"}))
    with pytest.raises(BuildError, match=f"{field} has no effect with registry noop") as raised:
        build_external_dns_values(profile)
    assert raised.value.location.field == f"externalDns.{field}"


def test_irsa_role_arn_is_written_on_the_service_account(make_profile) -> None:
    profile = make_profile(NLB_APP, **dns(identity={"type": "irsa", "roleName": "demo-edns"}))
    account = build_external_dns_values(profile).content["serviceAccount"]
    assert account["annotations"] == {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/demo-edns"
    }


def test_irsa_without_account_id_is_a_build_error_naming_the_field(make_profile) -> None:
    cluster = {"name": "demo", "region": "ap-northeast-2", "vpcId": "vpc-0123456789abcdef0"}
    profile = make_profile(
        NLB_APP, cluster=cluster, **dns(identity={"type": "irsa", "roleName": "demo-edns"})
    )
    with pytest.raises(BuildError, match=r"externalDns\.identity is irsa") as raised:
        build_external_dns_values(profile)
    assert raised.value.location.field == "cluster.accountId"


@pytest.mark.parametrize("source", get_args(Source))
def test_chart_grants_rbac_for_every_source_eksnet_can_emit(external_dns_chart, source: str) -> None:
    # GIVEN the chart's ClusterRole template (Go template text) / THEN each source name has its own rule
    template = (external_dns_chart / "templates" / "clusterrole.yaml").read_text("utf-8")
    assert f'has "{source}" .Values.sources' in template


def test_header_names_the_chart_and_its_version(lab_profile) -> None:
    header = build_external_dns_values(lab_profile).header
    version = lab_profile.external_dns.chart_version
    assert f"external-dns/external-dns {version}" in header
    assert f"--version {version} --namespace {lab_profile.external_dns.service_account.namespace}" in header
