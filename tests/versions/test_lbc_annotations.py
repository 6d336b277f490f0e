"""The annotation catalogue says what LBC's annotation docs say, and answers the questions asked of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eksnet_manifests.versions import lbc_annotations as catalogue
from eksnet_manifests.versions.lbc_annotations import INGRESS_PREFIX, NLB_PREFIX, SERVICE_PREFIX

DOCS = ("docs/guide/ingress/annotations.md", "docs/guide/service/annotations.md")
KEY = re.compile(r"((?:alb\.ingress|service\.beta)\.kubernetes\.io/[A-Za-z0-9.${}_-]*[A-Za-z0-9}])")
BASE_TYPES = {"string", "boolean", "integer", "stringList", "stringMap", "json"}
# Keys the docs misspell in a table row (no release reads them): the catalogue has the right spelling.
MISSPELT = {SERVICE_PREFIX + "aws-load-balancer-actions.${Protocol}-${Port}"}
# Keys the code reads that the docs' tables and sections do not list.
CODE_ONLY = {INGRESS_PREFIX + "web-acl-id", NLB_PREFIX + "target-group-attributes.${port}"}
# Where the docs' type column and the controller disagree, the catalogue follows the code.
CODE_TYPES = {
    INGRESS_PREFIX
    + "frontend-nlb-attributes": "stringMap",  # model_build_frontend_nlb.go ParseStringMapAnnotation
    SERVICE_PREFIX
    + "actions.${protocol}-${port}": "json",  # service/model_build_listener.go ParseJSONAnnotation
}


def _documented(upstream: Path) -> dict[str, str | None]:
    """Key -> the docs' type column (None for a key documented only in a section heading)."""
    keys: dict[str, str | None] = {}
    for doc in DOCS:
        text = (upstream / "aws-load-balancer-controller" / "v3.5.0" / doc).read_text("utf-8")
        for line in text.splitlines():
            match = KEY.search(line)
            if match is None:
                continue
            if line.startswith("| ["):
                keys[match.group(1)] = re.split(r"(?<!\\)\|", line)[2].strip()
            elif "<a name=" in line:
                keys.setdefault(match.group(1), None)
    return keys


def test_catalogue_lists_every_documented_key_and_no_other(upstream: Path) -> None:
    # GIVEN the keys of LBC v3.5.0's Ingress and Service annotation docs (tables and sections)
    documented = set(_documented(upstream)) - MISSPELT
    known = {entry.key for entry in catalogue.ANNOTATIONS}
    # THEN the catalogue has each of them, and only the code-only keys besides
    assert sorted(documented - known) == []
    assert known - documented == CODE_ONLY


def test_value_types_and_choices_are_the_docs(upstream: Path) -> None:
    mismatched = []
    for key, column in _documented(upstream).items():
        entry = catalogue.lookup(key)
        if entry is None or column is None:
            continue
        alternatives = [part.strip() for part in column.replace("\\|", "|").split("|") if part.strip()]
        types = [part for part in alternatives if part in BASE_TYPES] or ["string"]
        literals = {part for part in alternatives if part not in BASE_TYPES and part != "named-service-port"}
        expected = CODE_TYPES.get(key, types[0])
        if entry.value != expected or not literals <= set(entry.choices):
            mismatched.append((key, column, entry.value, entry.choices))
    assert mismatched == []


@pytest.mark.parametrize(
    ("key", "found"),
    [
        (INGRESS_PREFIX + "subnets", INGRESS_PREFIX + "subnets"),
        (INGRESS_PREFIX + "actions.redirect-to-eks", INGRESS_PREFIX + "actions.${action-name}"),
        (
            INGRESS_PREFIX + "listener-attributes.HTTPS-443",
            INGRESS_PREFIX + "listener-attributes.${Protocol}-${Port}",
        ),
        (NLB_PREFIX + "target-group-attributes.3306", NLB_PREFIX + "target-group-attributes.${port}"),
        (SERVICE_PREFIX + "actions.TCP-80", SERVICE_PREFIX + "actions.${protocol}-${port}"),
        (INGRESS_PREFIX + "actions.", None),
        (INGRESS_PREFIX + "subnet", None),
    ],
    ids=[
        "exact",
        "action",
        "listener-attributes",
        "per-port-tg-attributes",
        "nlb-action",
        "empty-name",
        "typo",
    ],
)
def test_lookup_matches_exact_and_pattern_keys(key: str, found: str | None) -> None:
    entry = catalogue.lookup(key)
    assert (entry.key if entry else None) == found


@pytest.mark.parametrize(
    ("key", "nearest"),
    [
        (INGRESS_PREFIX + "subnet", INGRESS_PREFIX + "subnets"),
        (INGRESS_PREFIX + "healthcheck-interval", INGRESS_PREFIX + "healthcheck-interval-seconds"),
        (NLB_PREFIX + "healthcheck-interval-seconds", NLB_PREFIX + "healthcheck-interval"),
        (NLB_PREFIX + "ssl-negotation-policy", NLB_PREFIX + "ssl-negotiation-policy"),
        (INGRESS_PREFIX + "zzzzzzzzzzzz", None),
    ],
)
def test_nearest_suggests_a_documented_key_of_the_same_family(key: str, nearest: str | None) -> None:
    assert catalogue.nearest(key) == nearest


@pytest.mark.parametrize(
    ("key", "family"),
    [
        (INGRESS_PREFIX + "scheme", "ingress"),
        (NLB_PREFIX + "scheme", "service"),
        (SERVICE_PREFIX + "load-balancer-source-ranges", "service"),
        (SERVICE_PREFIX + "actions.TCP-80", "service"),
        (SERVICE_PREFIX + "azure-load-balancer-internal", None),
        ("external-dns.alpha.kubernetes.io/hostname", None),
    ],
)
def test_family_by_prefix(key: str, family: str | None) -> None:
    assert catalogue.family_of(key) == family


@pytest.mark.parametrize(
    ("key", "release", "reads"),
    [
        (INGRESS_PREFIX + "wafv2-acl-name", "v2.13.3", False),
        (INGRESS_PREFIX + "wafv2-acl-name", "v2.14.0", True),
        (INGRESS_PREFIX + "create-acm-cert", "v3.2.2", False),
        (INGRESS_PREFIX + "create-acm-cert", "v3.3.0", True),
        (NLB_PREFIX + "quic-enabled-ports", "v2.14.1", False),
        (INGRESS_PREFIX + "scheme", "v2.12.0", True),
    ],
)
def test_release_reads_a_key_from_its_first_release_on(key: str, release: str, reads: bool) -> None:
    entry = catalogue.lookup(key)
    assert entry is not None and catalogue.reads(entry, release) is reads


def test_ingress_group_scopes_follow_the_controller() -> None:
    # GIVEN keys whose merge the docs call Exclusive while LBC v3.5.0 merges them key by key or per port
    scope = {entry.key.removeprefix(INGRESS_PREFIX): entry.scope for entry in catalogue.of_family("ingress")}
    assert scope["load-balancer-attributes"] == "merged"
    assert scope["inbound-cidrs"] == scope["ssl-policy"] == "per-port"
    assert scope["subnets"] == scope["wafv2-acl-name"] == "exclusive"
    assert scope["group.name"] == "group"


def test_every_since_is_a_release_no_later_than_the_docs_read() -> None:
    from eksnet_manifests.versions.release import parse_release

    assert all((2, 0, 0) <= parse_release(entry.since) <= (3, 5, 0) for entry in catalogue.ANNOTATIONS)
