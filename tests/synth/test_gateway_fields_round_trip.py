"""Every typed Gateway field round-trips: profile -> objects -> valid against the upstream CRDs of the pinned
releases, with CEL, at each release pair eksnet is checked against.

The fixture sets every field once. At an older release the profile refuses exactly the fields that
release's CRDs lack (each refusal names the release it needs); without them the objects are valid.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from eksnet_manifests.check.documents import Document, Origin
from eksnet_manifests.check.findings import Severity
from eksnet_manifests.check.schema.registry import SchemaRegistry
from eksnet_manifests.check.validate import ValidateOptions, validate_documents
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.bundle import build_bundle

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "profiles" / "gateway-fields.yaml"
PAIRS = [
    ("v1.3.0", "experimental", "v2.14.1"),
    ("v1.3.0", "experimental", "v3.1.0"),
    ("v1.6.1", "standard", "v3.5.0"),
    ("v1.6.1", "experimental", "v3.5.0"),
    ("v1.6.1", "experimental", "v3.1.0"),
]
VERSION_GATES = (
    "needs AWS Load Balancer Controller",
    "need AWS Load Balancer Controller",
    "need Gateway API",
)


def _pinned(gateway_api: str, channel: str, lbc: str) -> dict[str, Any]:
    data = yaml.safe_load(FIXTURE.read_text())
    data["loadBalancerController"] = {"version": lbc}
    data["gatewayApi"] |= {"version": gateway_api, "channel": channel}
    return data


def _drop(data: dict[str, Any], path: tuple[str | int, ...]) -> None:
    """Remove the field at ``path``, and the mappings it leaves empty."""
    nodes: list[Any] = [data]
    for part in path[:-1]:
        nodes.append(nodes[-1][part])
    nodes[-1].pop(path[-1], None)  # two problems may name one field
    for parent, key, node in zip(reversed(nodes[:-1]), reversed(path[:-1]), reversed(nodes[1:]), strict=True):
        if node == {}:
            del parent[key]


@pytest.fixture(scope="module", params=PAIRS, ids=["-".join(pair) for pair in PAIRS])
def rendered(
    request: pytest.FixtureRequest, upstream: Path
) -> tuple[list[str], list[Document], SchemaRegistry]:
    """The fixture at one release pair: the problems that refused fields, the objects, the pair's CRDs."""
    gateway_api, channel, lbc = request.param
    data = _pinned(gateway_api, channel, lbc)
    refused = []
    for problem in Profile.model_validate(copy.deepcopy(data)).problems():
        refused.append(problem.message)
        _drop(data, problem.path)
    # An app on a refused ListenerSet has nothing to attach to: it is left unexposed.
    for problem in Profile.model_validate(copy.deepcopy(data)).problems():
        assert problem.path[-1] == "listenerSet", problem
        data["apps"][problem.path[1]]["expose"] = {"type": "none"}
    profile = Profile.model_validate(data)
    assert profile.problems() == []
    bundle = build_bundle(profile)
    docs = [
        Document(obj, Origin(artifact.path, index))
        for artifact in bundle.artifacts
        if isinstance(artifact.content, list)
        for index, obj in enumerate(artifact.content)
    ]
    crds = [
        str(upstream / "gateway-api" / gateway_api / channel),
        str(upstream / "aws-load-balancer-controller" / lbc / "crd"),
    ]
    return refused, docs, SchemaRegistry.build("1.34", crds)


def test_older_releases_refuse_only_fields_their_crds_lack(rendered) -> None:
    # GIVEN the fixture pinned to a release pair / WHEN its problems are listed
    refused, _, _ = rendered
    # THEN each refusal is a version gate naming the release the field needs
    assert [message for message in refused if not any(gate in message for gate in VERSION_GATES)] == []


def test_objects_are_valid_against_the_pinned_releases_crds_with_cel(rendered) -> None:
    # GIVEN the objects of every field the pinned releases accept
    _, docs, registry = rendered
    # WHEN they are validated against those releases' upstream CRDs, CEL rules included
    findings = validate_documents(docs, registry, ValidateOptions(cel=True))
    # THEN nothing is reported, and every kind had a schema
    assert [f.to_text() for f in findings if f.severity is Severity.ERROR] == []
    kinds = {doc.kind for doc in docs}
    assert {
        "GRPCRoute",
        "TCPRoute",
        "UDPRoute",
        "TLSRoute",
        "ListenerRuleConfiguration",
        "ReferenceGrant",
    } <= kinds
    assert all(registry.has_schema(doc.api_version, doc.kind) for doc in docs), "a kind went unchecked"


def test_newest_pair_keeps_every_field(rendered, request: pytest.FixtureRequest) -> None:
    refused, docs, _ = rendered
    if "v3.5.0" in request.node.callspec.id:
        assert refused == []
        assert any(doc.kind == "ListenerSet" for doc in docs)
