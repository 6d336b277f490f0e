"""The DNS cut-over plan: records that change, the order, and what in ExternalDNS would delete a record."""

from __future__ import annotations

from pathlib import Path

import pytest

from eksnet_manifests.migrate.cutover import DnsSettings
from eksnet_manifests.migrate.migration import MigrateOptions, migrate
from eksnet_manifests.migrate.report import Target
from eksnet_manifests.profile.load import load_profile

from .helpers import documents, ingress, service

BASE = load_profile(Path(__file__).parent / "profile.yaml").profile
EXTERNAL_DNS = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "external-dns", "namespace": "kube-system"},
    "spec": {
        "selector": {"matchLabels": {"app": "external-dns"}},
        "template": {
            "metadata": {"labels": {"app": "external-dns"}},
            "spec": {
                "containers": [
                    {
                        "name": "external-dns",
                        "image": "registry.k8s.io/external-dns/external-dns:v0.21.0",
                        "args": [
                            "--source=ingress",
                            "--source=service",
                            "--policy=upsert-only",
                            "--txt-owner-id",
                            "prod",
                        ],
                    }
                ]
            },
        },
    },
}


def _plan(target: Target, *extra: dict, dns: DnsSettings | None = None):
    docs = documents(ingress("web", "shop", host="web.example.com"), service("web", "shop"), *extra)
    migration = migrate(docs, MigrateOptions(target, BASE, dns=dns))
    assert migration.plan is not None
    return migration.plan


def test_gateway_plan_moves_each_host_from_the_ingress_to_its_route_in_the_order_that_keeps_it_answered() -> (
    None
):
    plan = _plan(Target.GATEWAY)
    (record,) = plan.records
    assert (record.host, record.source_from, record.source_to) == (
        "web.example.com",
        "ingress",
        "gateway-httproute",
    )
    steps = " ".join(plan.steps)
    order = [
        "dry-run",
        "Programmed",
        "Apply the routes",
        "Flip ExternalDNS ownership",
        "Remove the Ingresses",
    ]
    assert [steps.index(word) for word in order] == sorted(steps.index(word) for word in order)


def test_sync_without_the_route_source_warns_that_removing_the_ingress_deletes_the_record() -> None:
    plan = _plan(Target.GATEWAY, dns=DnsSettings("sync", "shop", ("ingress",), "given"))
    assert any(
        "policy sync with TXT owner shop" in w and "deletes web.example.com" in w for w in plan.warnings
    )


@pytest.mark.parametrize(
    ("policy", "sources", "warned"),
    [
        ("sync", ("ingress", "gateway-httproute"), False),
        ("upsert-only", ("ingress",), True),
        ("create-only", ("ingress", "gateway-httproute"), True),
    ],
    ids=["sync-with-source", "upsert-only-without-source", "create-only"],
)
def test_policies_are_judged_for_the_cut_over(policy: str, sources: tuple[str, ...], warned: bool) -> None:
    plan = _plan(Target.GATEWAY, dns=DnsSettings(policy, "shop", sources, "given"))
    assert bool(plan.warnings) is warned


def test_externaldns_settings_are_read_from_its_deployment_in_the_input() -> None:
    plan = _plan(Target.GATEWAY, EXTERNAL_DNS)
    assert plan.dns == DnsSettings(
        "upsert-only", "prod", ("ingress", "service"), "Deployment kube-system/external-dns"
    )
    assert any("upsert-only" in warning for warning in plan.warnings)


def test_profile_plan_keeps_an_ingress_of_the_same_name_in_place() -> None:
    plan = _plan(Target.PROFILE)
    assert plan.records == []


def test_profile_plan_moves_the_records_of_a_renamed_ingress_to_its_new_alb() -> None:
    docs = documents(
        ingress("web-ingress", "shop", host="web.example.com", paths=[("/", "Prefix", "web", 80)]),
        service("web", "shop"),
    )
    plan = migrate(docs, MigrateOptions(Target.PROFILE, BASE)).plan
    assert plan is not None
    (record,) = plan.records
    assert record.old == "ALB of Ingress shop/web-ingress" and record.new == "ALB of Ingress shop/web"
    assert any("Renamed Ingresses (shop/web-ingress -> web)" in step for step in plan.steps)


def test_profile_plan_warns_when_an_nlb_service_is_created_anew() -> None:
    nlb = service(
        "dns",
        "games",
        port=53,
        type="LoadBalancer",
        annotations={"service.beta.kubernetes.io/aws-load-balancer-type": "external"},
    )
    plan = migrate(documents(nlb), MigrateOptions(Target.PROFILE, BASE)).plan
    assert plan is not None
    assert plan.warnings == [
        "Services games/dns: re-creating the Service deletes its NLB before the new one answers"
    ]


def test_a_profile_that_lists_its_sources_gets_the_ones_the_migrated_apps_need() -> None:
    # GIVEN a profile whose ExternalDNS watches Services only
    base = BASE.model_copy(
        update={"external_dns": BASE.external_dns.model_copy(update={"sources": ("service",)})}
    )
    docs = documents(ingress("web", "shop", host="web.example.com"), service("web", "shop"))
    # WHEN the Ingress is migrated to a profile, and to gateway apps
    profile = migrate(docs, MigrateOptions(Target.PROFILE, base)).profile
    apps = migrate(docs, MigrateOptions(Target.GATEWAY, base, as_apps=True)).profile
    # THEN the fragments add the sources that keep the names
    assert profile["externalDns"] == {"sources": ["ingress", "service"]}
    assert apps["externalDns"] == {"sources": ["gateway-httproute", "service"]}
