"""The lint registry and run_lints: every rule covered, missing references escalate, robustness, speed."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.documents import documents_from_objects
from eksnet_manifests.check.findings import Severity
from eksnet_manifests.check.lint import LINTS, Lint, LintOptions, run_lints
from eksnet_manifests.check.lint.backends import INGRESS_BACKENDS, ROUTE_BACKENDS, TGC_TARGETS
from eksnet_manifests.check.lint.parents import LISTENER_MISSING, ROUTE_PARENTS
from eksnet_manifests.check.lint.refs import GATEWAY_CLASSES, INGRESS_CLASSES

from . import test_backends, test_dns, test_hostnames, test_lbc, test_parents, test_refs, test_targets
from .manifests import (
    gateway,
    gateway_class,
    ingress,
    lint_findings,
    listener,
    namespace,
    route,
    service,
    target_group_configuration,
)

CASE_MODULES = (test_backends, test_dns, test_hostnames, test_lbc, test_parents, test_refs, test_targets)


def test_every_rule_has_a_case_that_reports_it() -> None:
    # GIVEN the rules the registry declares and the rules the lint cases expect
    declared = {rule for lint in LINTS for rule in lint.rules}
    expected = {rule for module in CASE_MODULES for param in module.CASES for rule, _, _ in param.values[3]}
    # THEN every declared rule is proven by a case, and no case expects an undeclared rule
    assert expected == declared


def test_lint_ids_are_unique() -> None:
    ids = [lint.id for lint in LINTS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("lint", "objects"),
    [
        (ROUTE_PARENTS, [route()]),
        (ROUTE_BACKENDS, [route()]),
        (
            ROUTE_BACKENDS,
            [route(backends=[{"name": "web", "namespace": "billing", "port": 80}]), service(ns="billing")],
        ),
        (INGRESS_BACKENDS, [ingress()]),
        (TGC_TARGETS, [target_group_configuration({"name": "web"})]),
        (GATEWAY_CLASSES, [gateway()]),
        (INGRESS_CLASSES, [ingress(class_name="alb")]),
    ],
    ids=[
        "route-parent",
        "route-backend",
        "reference-grant",
        "ingress-backend",
        "tgc-target",
        "gateway-class",
        "ingress-class",
    ],
)
def test_missing_reference_escalates_with_whole_set(lint: Lint, objects: list) -> None:
    # GIVEN a reference to an object that is not in the input
    # WHEN linted as a possibly partial set, then as the whole set
    partial = {f.severity for f in lint_findings(objects, lint)}
    whole = {f.severity for f in lint_findings(objects, lint, whole_set=True)}
    # THEN it is a warning, then an error
    assert (partial, whole) == ({Severity.WARNING}, {Severity.ERROR})


MALFORMED = [
    {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute", "metadata": None, "spec": "x"},
    {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "Gateway",
        "metadata": {"name": "gw"},
        "spec": {"listeners": 5},
    },
    {
        "apiVersion": "gateway.networking.k8s.io/v1",
        "kind": "HTTPRoute",
        "metadata": {"name": "r", "annotations": ["x"]},
        "spec": {
            "parentRefs": [1, "gw", {"name": None}, {"name": "gw"}],
            "hostnames": [None],
            "rules": [{"backendRefs": "web"}],
        },
    },
    {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "i"},
        "spec": {"rules": [{"http": 3}]},
    },
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "s"},
        "spec": {"type": "LoadBalancer", "ports": [7]},
    },
    {"kind": "Namespace"},
]


def test_malformed_objects_are_linted_without_crashing() -> None:
    # GIVEN objects whose fields have the wrong shapes, and values that do too
    docs = documents_from_objects(MALFORMED, "broken.yaml")
    values = {
        "external-dns": {"domainFilters": "example.com", "sources": None},
        "aws-load-balancer-controller": {},
    }
    # WHEN every lint runs
    findings = run_lints(docs, LintOptions(), values)
    # THEN the shapes read as absent: the one usable parentRef finds a Gateway without listeners
    assert [(f.rule, f.name, f.path) for f in findings] == [(LISTENER_MISSING, "r", "spec.parentRefs[3]")]


def lab_objects(apps: int) -> list[dict]:
    objects = [gateway_class(), gateway(listener(hostname="*.example.com"), ns="infra")]
    for number in range(apps):
        ns = f"app{number}"
        objects += [
            namespace(ns),
            service(ns=ns),
            route(
                ns=ns, parents=[{"name": "gw", "namespace": "infra"}], hostnames=[f"app{number}.example.com"]
            ),
            target_group_configuration({"name": "web"}, ns=ns, defaultConfiguration={"targetType": "ip"}),
        ]
    return objects


def test_findings_are_sorted_and_repeatable() -> None:
    docs = documents_from_objects(lab_objects(3), "lab.yaml")
    first, second = run_lints(docs, LintOptions(), {}), run_lints(docs, LintOptions(), {})
    assert first == second
    assert [f.sort_key for f in first] == sorted(f.sort_key for f in first)
