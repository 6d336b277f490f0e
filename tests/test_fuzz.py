"""Fuzzing the two inputs eksnet takes from users: profiles (gen) and manifests (validate).

Every outcome is an exit code of 0, 1 or 2 with no traceback and no internal error, and a run that
fails leaves out/ and the profile exactly as they were. The seed is fixed and the cases are few, so the
suite stays fast and repeatable; ``benchmarks/fuzz_long.py`` runs the same properties for longer
(``EKSNET_FUZZ_EXAMPLES`` sets the number of cases, ``--hypothesis-seed`` varies them).
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from eksnet_manifests.cli import app
from eksnet_manifests.render.tree import read_tree

EXAMPLES = int(os.environ.get("EKSNET_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 40,
    derandomize=not EXAMPLES,  # a fixed seed in the suite; the long run takes --hypothesis-seed
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
runner = CliRunner()

PROFILE: dict[str, Any] = {
    "cluster": {
        "name": "fuzz",
        "region": "us-east-1",
        "vpcId": "vpc-0123456789abcdef0",
        "accountId": "111122223333",
    },
    "nodeGroups": [{"name": "primary", "instanceType": "t3.medium", "desiredSize": 2}],
    "loadBalancerController": {
        "version": "v3.1.0",
        "identity": {
            "type": "irsa",
            "roleName": "lbc",
            "oidcProvider": "oidc.eks.us-east-1.amazonaws.com/id/X",
        },
    },
    "externalDns": {
        "domainFilters": ["example.com"],
        "policy": "sync",
        "hostedZoneIds": ["Z0123456789ABCDEFGHIJ"],
    },
    "vpcCni": {"mode": "prefix-delegation", "warmPrefixTarget": 1},
    "apps": [
        {
            "name": "web",
            "replicas": 2,
            "expose": {"type": "alb", "hosts": ["web.example.com"], "https": True},
        },
        {"name": "api", "port": 8080, "expose": {"type": "gateway", "hosts": ["api.example.com"], "ttl": 60}},
    ],
}
MANIFESTS: list[dict[str, Any]] = [
    {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}]},
            },
        },
    },
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 80}]},
    },
    {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "ingressClassName": "alb",
            "rules": [
                {
                    "host": "web.example.com",
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": "web", "port": {"number": 80}}},
                            }
                        ]
                    },
                }
            ],
        },
    },
]

# Values a fuzzer (or a tired person) puts where an identifier, a number or a section belongs.
HOSTILE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "web\n",
            " web",
            "web ",
            "١٢٣",
            "wеb",
            "a\x1b]0;x\x07",
            "x\rerror: ok",
            "../../etc",
            "3.1.0; sh",
            "~",
            "",
        ]
    ),
)
SCALARS = st.one_of(
    HOSTILE_TEXT,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(HOSTILE_TEXT, children, max_size=4),
    max_leaves=12,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*prefix, index))


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    """``base`` with one to three places replaced, deleted, or given an unknown sibling key."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        where = draw(st.sampled_from([p for p in paths(data) if p]))
        parent: Any = data
        for part in where[:-1]:
            parent = parent[part]
        operation = draw(st.sampled_from(["replace", "delete", "extra"]))
        if operation == "replace":
            parent[where[-1]] = draw(VALUES)
        elif operation == "delete" and isinstance(parent, dict):
            del parent[where[-1]]
        elif isinstance(parent, dict):
            parent[draw(HOSTILE_TEXT)] = draw(VALUES)
    return data


@st.composite
def yaml_text(draw: st.DrawFn, base: Any, documents: bool = False) -> str:
    """A mutated document as YAML, sometimes with bytes of the text itself garbled."""
    data = draw(mutated(base))
    text = yaml.safe_dump_all(data) if documents else yaml.safe_dump(data)
    if draw(st.booleans()):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(st.text(max_size=8)) + text[at:]
    return text


def assert_clean_exit(result: Any) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output


@pytest.fixture(scope="module")
def baseline() -> Iterator[Path]:
    """A folder with the base profile and the tree it renders."""
    folder = Path(tempfile.mkdtemp(prefix="eksnet-fuzz-"))
    (folder / "eksnet.yaml").write_text(yaml.safe_dump(PROFILE))
    result = runner.invoke(
        app, ["gen", "all", "--profile", str(folder / "eksnet.yaml"), "--out", str(folder / "out")]
    )
    assert result.exit_code == 0, result.output
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@FUZZ
@given(text=yaml_text(PROFILE))
def test_any_profile_exits_cleanly_and_a_failed_run_changes_nothing(baseline: Path, text: str) -> None:
    with tempfile.TemporaryDirectory(prefix="eksnet-fuzz-case-") as name:
        folder = Path(name)
        shutil.copytree(baseline / "out", folder / "out")
        profile = folder / "eksnet.yaml"
        profile.write_text(text, encoding="utf-8", errors="surrogatepass")
        before = (profile.read_bytes(), read_tree(folder / "out" / "fuzz"))
        result = runner.invoke(app, ["gen", "all", "--profile", str(profile), "--out", str(folder / "out")])
        assert_clean_exit(result)
        if result.exit_code != 0:
            assert (profile.read_bytes(), read_tree(folder / "out" / "fuzz")) == before


APP_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "--expose": st.sampled_from(["nlb", "alb", "gateway", "none", "elb", ""]),
        "--host": HOSTILE_TEXT | st.sampled_from(["shop.example.com", "Shop.Example.COM.", "x.other.org"]),
        "--port": st.integers(min_value=-5, max_value=70000).map(str),
        "--replicas": st.sampled_from(["0", "3", "-1", "99999999999", "1e3"]),
        "--scheme": st.sampled_from(["internal", "internet-facing", "public"]),
        "--path": HOSTILE_TEXT | st.just("/shop"),
        "--ttl": st.sampled_from(["60", "0", "86401"]),
        "--section": st.sampled_from(["http", "https", "tls"]),
    },
)


@FUZZ
@given(name=st.one_of(st.none(), HOSTILE_TEXT, st.sampled_from(["web", "api", "shop"])), options=APP_OPTIONS)
def test_any_gen_app_options_exit_cleanly_and_save_nothing_on_failure(
    baseline: Path, name: str | None, options: dict[str, str]
) -> None:
    with tempfile.TemporaryDirectory(prefix="eksnet-fuzz-case-") as folder_name:
        folder = Path(folder_name)
        shutil.copytree(baseline / "out", folder / "out")
        profile = folder / "eksnet.yaml"
        shutil.copy(baseline / "eksnet.yaml", profile)
        before = (profile.read_bytes(), read_tree(folder / "out" / "fuzz"))
        args = ["gen", "app", *([name] if name is not None else []), "--save", "--profile", str(profile)]
        args += ["--out", str(folder / "out"), *(item for pair in options.items() for item in pair)]
        result = runner.invoke(app, args)
        assert_clean_exit(result)
        if result.exit_code != 0:
            assert (profile.read_bytes(), read_tree(folder / "out" / "fuzz")) == before


@FUZZ
@given(text=yaml_text(MANIFESTS, documents=True))
def test_any_manifest_stream_validates_with_a_clean_exit(text: str) -> None:
    result = runner.invoke(app, ["validate", "-", "--output", "json"], input=text)
    assert_clean_exit(result)


MIGRATE_INPUT: list[dict[str, Any]] = [
    {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {
            "name": "shop",
            "namespace": "shop",
            "annotations": {
                "alb.ingress.kubernetes.io/group.name": "shop",
                "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP": 80}, {"HTTPS": 443}]',
                "alb.ingress.kubernetes.io/ssl-redirect": "443",
                "alb.ingress.kubernetes.io/tags": "team=shop",
                "alb.ingress.kubernetes.io/actions.canary": (
                    '{"type":"forward","forwardConfig":{"targetGroups":[{"serviceName":"web","servicePort":"80"}]}}'
                ),
                "alb.ingress.kubernetes.io/conditions.web": (
                    '[{"field":"query-string","queryStringConfig":{"values":[{"key":"v","value":"2"}]}}]'
                ),
            },
        },
        "spec": {
            "ingressClassName": "alb",
            "defaultBackend": {"service": {"name": "web", "port": {"name": "http"}}},
            "rules": [
                {
                    "host": "shop.example.com",
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {
                                    "service": {"name": "canary", "port": {"name": "use-annotation"}}
                                },
                            },
                            {
                                "path": "/*",
                                "pathType": "ImplementationSpecific",
                                "backend": {"service": {"name": "web", "port": {"number": 80}}},
                            },
                        ]
                    },
                }
            ],
        },
    },
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "web",
            "namespace": "shop",
            "annotations": {"service.beta.kubernetes.io/aws-load-balancer-ssl-cert": "arn:aws:acm:x"},
        },
        "spec": {
            "type": "LoadBalancer",
            "loadBalancerClass": "service.k8s.aws/nlb",
            "ports": [{"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}],
        },
    },
]


# Fewer cases in the suite: each is a whole command; the long run takes EKSNET_FUZZ_EXAMPLES.
MIGRATE_FUZZ = settings(FUZZ, max_examples=EXAMPLES or 20)


@MIGRATE_FUZZ
@given(text=yaml_text(MIGRATE_INPUT, documents=True))
def test_any_manifests_migrate_to_gateway_api_with_a_clean_exit(text: str) -> None:
    with tempfile.TemporaryDirectory() as out:
        result = runner.invoke(
            app, ["migrate", "-", "--to", "gateway", "--out", out, "-o", "json"], input=text
        )
    assert_clean_exit(result)


@FUZZ
@given(text=yaml_text(MIGRATE_INPUT, documents=True))
def test_any_manifests_migrate_to_a_profile_fragment_or_report_why_not(text: str) -> None:
    from eksnet_manifests.check.documents import parse_documents
    from eksnet_manifests.errors import EksnetError
    from eksnet_manifests.migrate.migration import MigrateOptions, migrate
    from eksnet_manifests.migrate.report import Target
    from eksnet_manifests.migrate.to_profile import render_fragment
    from eksnet_manifests.profile.profile import Profile

    try:
        documents = parse_documents(text, "<fuzz>")
    except EksnetError:
        return
    migration = migrate(documents, MigrateOptions(Target.PROFILE, Profile.model_validate(PROFILE)))
    assert migration.failed or render_fragment(migration.profile).startswith("# Written by eksnet migrate")
