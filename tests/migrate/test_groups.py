"""IngressGroups: members in LBC's order, conflicts as errors naming both Ingresses, unions on a Gateway."""

from __future__ import annotations

from pathlib import Path

import pytest

from eksnet_manifests.migrate.alb import translate_ingress
from eksnet_manifests.migrate.groups import partition
from eksnet_manifests.migrate.migration import MigrateOptions, migrate
from eksnet_manifests.migrate.report import Report, Status, Target
from eksnet_manifests.profile.load import load_profile
from eksnet_manifests.versions import lbc_annotations as catalogue

from .helpers import documents, ingress, resource, service

A = catalogue.INGRESS_PREFIX
BASE = load_profile(Path(__file__).parent / "profile.yaml").profile


def _member(name: str, namespace: str, **annotations: str) -> dict:
    notes = {
        A + "group.name": "shared",
        **{A + key.replace("_", "-"): value for key, value in annotations.items()},
    }
    return ingress(name, namespace, notes, host=f"{name}.example.com")


def test_members_are_ordered_by_group_order_then_namespace_and_name() -> None:
    drafts = [
        translate_ingress(resource(_member(name, ns, **({"group.order": order} if order else {}))), Report())
        for name, ns, order in (("b", "team-b", "5"), ("a", "team-z", None), ("c", "team-a", None))
    ]
    (group,) = partition(drafts)
    assert [draft.source.name for draft in group.members] == ["c", "a", "b"]
    assert group.namespace == "team-a"


@pytest.mark.parametrize("target", [Target.PROFILE, Target.GATEWAY])
def test_exclusive_setting_conflict_is_an_error_naming_both_ingresses(target: Target) -> None:
    # GIVEN two members of one IngressGroup with different schemes
    docs = documents(
        _member("a", "team-a", scheme="internet-facing"),
        _member("b", "team-b", scheme="internal"),
        service("a", "team-a"),
        service("b", "team-b"),
    )
    # WHEN they are migrated
    migration = migrate(docs, MigrateOptions(target, BASE))
    # THEN the migration fails with an error that names both Ingresses and the key
    assert migration.failed
    (error,) = migration.report.errors(target)
    assert "Ingress team-a/a" in error.profile.detail and "Ingress team-b/b" in error.profile.detail
    assert error.field == f'metadata.annotations["{A}scheme"]'


def test_gateway_of_a_group_unions_certificates_and_tags() -> None:
    first = "arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-0000-1111-2222-333344445555"
    second = "arn:aws:acm:ap-northeast-2:111122223333:certificate/6a7b8c9d-0000-1111-2222-333344445555"
    ports = '[{"HTTP": 80}, {"HTTPS": 443}]'
    docs = documents(
        _member("a", "team-a", certificate_arn=first, tags="team=a", listen_ports=ports),
        _member("b", "team-a", certificate_arn=second, tags="env=prod", listen_ports=ports),
        service("a", "team-a"),
        service("b", "team-a"),
    )
    migration = migrate(docs, MigrateOptions(Target.GATEWAY, BASE))
    (config,) = [obj for obj in migration.objects if obj["kind"] == "LoadBalancerConfiguration"]
    assert config["spec"]["listenerConfigurations"] == [
        {"protocolPort": "HTTPS:443", "defaultCertificate": first, "certificates": [second]}
    ]
    assert config["spec"]["tags"] == {
        "team": "a",
        "env": "prod",
        "gateway.k8s.aws/migrated-from": "ingress-group/shared",
    }


def test_cross_namespace_group_admits_exactly_its_members_namespaces() -> None:
    docs = documents(
        _member("a", "team-a"), _member("b", "team-b"), service("a", "team-a"), service("b", "team-b")
    )
    migration = migrate(docs, MigrateOptions(Target.GATEWAY, BASE))
    (gateway,) = [obj for obj in migration.objects if obj["kind"] == "Gateway"]
    (listener,) = gateway["spec"]["listeners"]
    assert listener["allowedRoutes"]["namespaces"] == {
        "from": "Selector",
        "selector": {
            "matchExpressions": [
                {"key": "kubernetes.io/metadata.name", "operator": "In", "values": ["team-a", "team-b"]}
            ]
        },
    }
    routes = [obj for obj in migration.objects if obj["kind"] == "HTTPRoute"]
    assert {route["spec"]["parentRefs"][0].get("namespace") for route in routes} == {None, "team-a"}


def test_ungrouped_ingresses_get_a_gateway_each() -> None:
    docs = documents(ingress("a", "shop", host="a.example.com"), ingress("b", "shop", host="b.example.com"))
    migration = migrate(docs, MigrateOptions(Target.GATEWAY, BASE))
    assert sorted(o["metadata"]["name"] for o in migration.objects if o["kind"] == "Gateway") == ["a", "b"]
    statuses = {entry.outcome(Target.GATEWAY).status for entry in migration.report.entries}
    assert Status.ERROR not in statuses
