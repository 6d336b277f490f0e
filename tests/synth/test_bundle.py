"""What build_bundle adds around the apps: namespaces for every namespace used, where objects come from."""

from __future__ import annotations

import pytest

from eksnet_manifests.synth.bundle import build_bundle
from eksnet_manifests.synth.provenance import Source

from .conftest import make_profile

PRUNE_PROTECTION = {
    "argocd.argoproj.io/sync-options": "Prune=false,Delete=false",
    "kustomize.toolkit.fluxcd.io/prune": "disabled",
}
READINESS = "elbv2.k8s.aws/pod-readiness-gate-inject"


def namespaces(*apps: dict, **sections: object) -> dict[str, dict]:
    bundle = build_bundle(make_profile(*apps, **sections))
    return {
        obj["metadata"]["name"]: obj["metadata"]
        for _, obj in bundle.manifests()
        if obj["kind"] == "Namespace"
    }


def test_a_built_in_namespace_with_ip_targets_is_labelled_and_protected_from_pruning() -> None:
    # GIVEN an NLB app in default (which exists without a manifest)
    written = namespaces({"name": "echo", "expose": {"type": "nlb"}})
    # THEN default is written only to carry the readiness-gate label, never to be pruned by GitOps
    assert written["default"]["labels"][READINESS] == "enabled"
    assert written["default"]["annotations"] == PRUNE_PROTECTION


def test_a_built_in_namespace_without_ip_targets_is_not_written() -> None:
    assert namespaces({"name": "netshoot"}) == {}


def test_the_gateway_namespace_is_written_even_when_no_app_runs_there() -> None:
    written = namespaces(
        {"name": "web", "expose": {"type": "gateway"}},
        gatewayApi={"namespace": "edge", "allowedRoutes": "All"},
    )
    assert READINESS not in written["edge"]["labels"]  # no pods of the Gateway's own there
    assert "annotations" not in written["edge"]  # eksnet owns it: pruning it with the tree is right


@pytest.mark.parametrize(
    ("kind", "name", "generated", "profile_path"),
    [
        (
            "Ingress",
            "shop",
            'metadata.annotations["alb.ingress.kubernetes.io/scheme"]',
            ("apps", 0, "expose", "scheme"),
        ),
        ("Ingress", "shop", "spec.rules[0].host", ("apps", 0, "expose", "hosts")),
        ("Ingress", "shop", "spec.ingressClassName", ("loadBalancerController", "ingressClass")),
        ("Deployment", "shop", "spec.template.spec.containers[0].image", ("apps", 0, "image")),
        ("Ingress", "shop", "spec.unknown", ("apps", 0)),
    ],
    ids=["annotation", "rule-host", "absolute-path", "deployment-field", "unmapped-field-gives-the-app"],
)
def test_each_generated_field_knows_the_profile_field_it_comes_from(
    kind: str, name: str, generated: str, profile_path: tuple
) -> None:
    bundle = build_bundle(
        make_profile({"name": "shop", "expose": {"type": "alb", "hosts": ["shop.example.com"]}})
    )
    source = bundle.provenance.source_of("apps/shop.yaml", kind, "default", name)
    assert source is not None and source.profile_path(generated) == profile_path


def test_values_files_map_keys_to_their_profile_fields() -> None:
    bundle = build_bundle(make_profile())
    source = bundle.provenance.source_of("helm/aws-load-balancer-controller.values.yaml", None, None, None)
    assert source is not None
    assert source.profile_path("image.tag") == ("loadBalancerController", "version")
    assert source.profile_path("controllerConfig.featureGates.NLBGatewayAPI") == (
        "loadBalancerController",
        "featureGates",
    )


def test_prefixes_match_on_field_boundaries_only() -> None:
    source = Source(("apps", 0), {"spec.rule": ("a",), "spec.rules": ("b",)})
    assert source.profile_path("spec.rules[2].host") == ("b",)
    assert source.profile_path("spec.ruleset") == ("apps", 0)
