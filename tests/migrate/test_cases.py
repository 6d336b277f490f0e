"""Every case folder (``cases/<name>/input.yaml``) migrates to both targets: the output matches its golden
files, is valid for the pinned releases, routes the original hosts, paths and backends, and the profile
renders back to the original load balancer settings (round trip through ``eksnet gen``).

Refresh the golden files with ``EKSNET_UPDATE_GOLDEN=1`` (never in CI).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from eksnet_manifests.check.documents import Document, load_documents
from eksnet_manifests.check.findings import Severity
from eksnet_manifests.cli.migrate import render_objects
from eksnet_manifests.generate import check_bundle
from eksnet_manifests.migrate.alb.listen_ports import ports_of
from eksnet_manifests.migrate.alb.rules import gateway_path
from eksnet_manifests.migrate.class_params import class_annotations
from eksnet_manifests.migrate.draft import PathDraft, ServiceRef
from eksnet_manifests.migrate.inputs import _list, _map
from eksnet_manifests.migrate.migration import MigrateOptions, Migration, migrate
from eksnet_manifests.migrate.report import Target, report_lines, summary
from eksnet_manifests.migrate.to_profile import render_fragment, with_fragment
from eksnet_manifests.migrate.validation import validate_gateway_output
from eksnet_manifests.migrate.values import parse
from eksnet_manifests.profile.load import load_profile
from eksnet_manifests.synth.bundle import build_bundle
from eksnet_manifests.versions import lbc_annotations as catalogue

HERE = Path(__file__).parent
CASES = sorted(path.name for path in (HERE / "cases").iterdir() if (path / "input.yaml").is_file())
UPDATE = os.environ.get("EKSNET_UPDATE_GOLDEN") == "1"
BASE = load_profile(HERE / "profile.yaml").profile
REDIRECT = "-https-redirect"


@dataclass
class Case:
    name: str
    documents: list[Document]
    profile: Migration
    gateway: Migration
    """``--to gateway --as-apps``: the objects and the gateway apps."""

    def inputs(self, kind: str) -> list[Document]:
        return [doc for doc in self.documents if doc.kind == kind]


@pytest.fixture(scope="module", params=CASES)
def case(request: pytest.FixtureRequest) -> Case:
    documents = load_documents([HERE / "cases" / request.param / "input.yaml"])
    return Case(
        request.param,
        documents,
        migrate(documents, MigrateOptions(Target.PROFILE, BASE)),
        migrate(documents, MigrateOptions(Target.GATEWAY, BASE, as_apps=True)),
    )


def _relative(text: str) -> str:
    return text.replace(str(HERE) + "/", "")


def text_report(migration: Migration) -> str:
    lines = report_lines(migration.report, migration.target)
    return "\n".join([*lines, summary(migration.report, migration.target)]) + "\n"


def rendered(case: Case) -> dict[str, str]:
    """The golden files of a case: the Gateway API objects, the profile fragment, both reports and plans."""
    reports = []
    for migration in (case.profile, case.gateway):
        assert migration.plan is not None
        target = migration.target.value
        reports.append(f"## --to {target}\n{text_report(migration)}\n{migration.plan.text()}")
    return {
        "expected.yaml": render_objects(case.gateway.objects),
        "profile.yaml": render_fragment(case.profile.profile),
        "gateway-apps.yaml": render_fragment(case.gateway.profile),
        "report.txt": _relative("\n".join(reports)),
    }


def test_case_output_matches_its_golden_files(case: Case) -> None:
    folder = HERE / "cases" / case.name
    for name, text in rendered(case).items():
        if UPDATE:
            (folder / name).write_text(text)
        assert (folder / name).read_text() == text, (
            f"{case.name}/{name} differs (EKSNET_UPDATE_GOLDEN=1 refreshes)"
        )


def test_case_migrates_without_errors(case: Case) -> None:
    assert not case.profile.failed
    assert not case.gateway.failed


def test_gateway_output_passes_validate_for_the_pinned_releases(case: Case, upstream: Path) -> None:
    validation = validate_gateway_output(case.gateway, BASE, case.documents)
    assert [f.to_text() for f in validation.findings if f.severity is Severity.ERROR] == []
    assert validation.notes == [] or all("Secret" in note for note in validation.notes)


# --- hosts, paths and backends -------------------------------------------------------------------


def _backend(backend: ServiceRef, services: dict[str, Document], actions: dict[str, Any]) -> tuple[Any, ...]:
    """A comparable backend: a Service and its port number, or what an action does."""
    if backend.action is not None:
        action = actions[backend.action]
        if action["type"] == "forward":
            groups = action["forwardConfig"]["targetGroups"]
            return (
                "forward",
                tuple(sorted((g["serviceName"], int(g["servicePort"]), g.get("weight", 1)) for g in groups)),
            )
        return (action["type"],)
    port = backend.port
    if isinstance(port, str):
        service = services[backend.service or ""]
        port = next(p["port"] for p in _list(_map(service.obj["spec"]).get("ports")) if p.get("name") == port)
    return ("forward", ((backend.service, port, 1),))


def _ingress_routing(ingress: Document, services: dict[str, Document]) -> set[tuple[Any, ...]]:
    annotations = ingress.obj["metadata"].get("annotations", {})
    actions = {
        key.rpartition(".")[2] if "actions." in key else key: parse(catalogue.JSON, value)
        for key, value in annotations.items()
        if key.startswith(catalogue.INGRESS_PREFIX + "actions.")
    }
    actions = {
        key.removeprefix(catalogue.INGRESS_PREFIX + "actions."): value for key, value in actions.items()
    }
    regex = annotations.get(catalogue.INGRESS_PREFIX + "use-regex-path-match") == "true"
    found = set()
    spec = ingress.obj["spec"]
    for rule in spec.get("rules", ()):
        for path in rule["http"]["paths"]:
            service = path["backend"]["service"]
            port = service["port"]
            ref = (
                ServiceRef(action=service["name"])
                if port.get("name") == "use-annotation"
                else ServiceRef(service["name"], port.get("number") or port.get("name"))
            )
            match = gateway_path(PathDraft(path["path"], path["pathType"], ref), regex)
            found.add((rule.get("host"), match, _backend(ref, services, actions)))
    if "defaultBackend" in spec:
        service = spec["defaultBackend"]["service"]
        found.add(
            (None, None, _backend(ServiceRef(service["name"], service["port"]["number"]), services, actions))
        )
    return found


def _route_backend(rule: dict[str, Any], fixed: set[str]) -> tuple[Any, ...]:
    """A comparable backend of a route rule; ``fixed``: ListenerRuleConfigurations that answer themselves
    (their fixed response replaces the forward action)."""
    filters = rule.get("filters", ())
    if any(f["type"] == "RequestRedirect" for f in filters):
        return ("redirect",)
    answers = any(f["type"] == "ExtensionRef" and f["extensionRef"]["name"] in fixed for f in filters)
    if answers or not rule.get("backendRefs"):
        return ("fixed-response",)
    refs = rule["backendRefs"]
    weighted = len(refs) > 1
    return (
        "forward",
        tuple(sorted((r["name"], r["port"], r.get("weight", 1) if weighted else 1) for r in refs)),
    )


def _gateway_routing(
    objects: list[dict[str, Any]], namespace: str, route_names: set[str]
) -> set[tuple[Any, ...]]:
    found = set()
    fixed = {
        obj["metadata"]["name"]
        for obj in objects
        if obj["kind"] == "ListenerRuleConfiguration"
        and any(action["type"] == "fixed-response" for action in obj["spec"].get("actions", ()))
    }
    for route in objects:
        if route["kind"] != "HTTPRoute" or route["metadata"]["namespace"] != namespace:
            continue
        if route["metadata"]["name"] not in route_names or route["metadata"]["name"].endswith(REDIRECT):
            continue
        for host in route["spec"].get("hostnames") or [None]:
            for rule in route["spec"]["rules"]:
                matches = rule.get("matches") or [{}]
                for match in matches:
                    path = match.get("path")
                    key = (path["type"], path["value"]) if path else None
                    found.add((host if key else None, key, _route_backend(rule, fixed)))
    return found


def test_gateway_routes_serve_the_ingress_hosts_paths_and_backends(case: Case) -> None:
    services = {doc.name or "": doc for doc in case.inputs("Service")}
    for ingress in case.inputs("Ingress"):
        names = {
            route["metadata"]["name"]
            for route in case.gateway.objects
            if route["kind"] == "HTTPRoute" and route["metadata"]["name"].startswith(ingress.name or "")
        }
        expected = _ingress_routing(ingress, services)
        assert _gateway_routing(case.gateway.objects, ingress.namespace or "default", names) == expected


def test_nlb_routes_serve_every_port_of_the_service(case: Case) -> None:
    for service in case.inputs("Service"):
        if service.obj["spec"].get("type") != "LoadBalancer":
            continue
        expected = {(port["port"], port.get("protocol", "TCP")) for port in service.obj["spec"]["ports"]}
        routes = [
            route
            for route in case.gateway.objects
            if route["kind"] in ("TCPRoute", "UDPRoute", "TLSRoute")
            and route["metadata"]["namespace"] == service.namespace
        ]
        served = {
            (ref["port"], "UDP" if route["kind"] == "UDPRoute" else "TCP")
            for route in routes
            for rule in route["spec"]["rules"]
            for ref in rule["backendRefs"]
            if ref["name"] == service.name
        }
        assert served == expected


# --- round trip through eksnet gen ---------------------------------------------------------------


def _gen(fragment: dict[str, Any]) -> dict[tuple[str, str, str], dict[str, Any]]:
    """What ``eksnet gen`` writes for the profile with ``fragment``, checked as gen checks it."""
    merged = with_fragment(BASE, fragment)
    assert merged.problems() == []
    bundle = build_bundle(merged)
    findings, _ = check_bundle(bundle, "1.34", (), cel=True, pins=merged.pins())
    assert [f.to_text() for f in findings if f.severity is Severity.ERROR] == []
    objects = [
        obj for artifact in bundle.artifacts if isinstance(artifact.content, list) for obj in artifact.content
    ]
    return {
        (obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"]): obj for obj in objects
    }


@pytest.fixture(scope="module")
def generated(case: Case, upstream: Path) -> dict[tuple[str, str, str], dict[str, Any]]:
    return _gen(case.profile.profile)


def test_gateway_apps_render_routes_with_the_ingress_hosts_paths_and_backends(
    case: Case, upstream: Path
) -> None:
    objects = list(_gen(case.gateway.profile).values())
    services = {doc.name or "": doc for doc in case.inputs("Service")}
    for ingress in case.inputs("Ingress"):
        namespace = ingress.namespace or "default"
        names = {
            o["metadata"]["name"]
            for o in objects
            if o["kind"] == "HTTPRoute" and o["metadata"]["namespace"] == namespace
        }
        assert _gateway_routing(objects, namespace, names) >= _ingress_routing(ingress, services)


# What LBC does when a key is not set, which eksnet's exposures write out (LBC docs guide/ingress/
# annotations.md, guide/service/annotations.md, v3.5.0; ELB's cross-zone default for NLBs).
LBC_DEFAULTS = {
    catalogue.INGRESS_PREFIX + "scheme": "internal",
    catalogue.NLB_PREFIX + "scheme": "internal",
    catalogue.NLB_PREFIX + "attributes": {"load_balancing.cross_zone.enabled": "false"},
}


def _lbc_settings(obj: dict[str, Any], family: str) -> dict[str, Any]:
    """The LBC annotations of ``obj`` as LBC reads them, LBC's defaults left out."""
    settings = {}
    for key, value in (obj["metadata"].get("annotations") or {}).items():
        entry = catalogue.lookup(key)
        if entry is None or entry.family != family:
            continue
        parsed = value if value in entry.choices else parse(entry.value, value)
        settings[key] = parsed.lower() if key.endswith("healthcheck-protocol") else parsed
    settings.pop(catalogue.INGRESS_PREFIX + "listen-ports", None)
    for key, default in LBC_DEFAULTS.items():
        if settings.get(key) == default:
            del settings[key]
    if settings.get(catalogue.INGRESS_PREFIX + "healthcheck-port") == "traffic-port":
        del settings[catalogue.INGRESS_PREFIX + "healthcheck-port"]
    return settings


def _paths(ingress: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (
            rule.get("host"),
            path["path"],
            path["pathType"],
            path["backend"]["service"]["name"],
            path["backend"]["service"]["port"],
        )
        for rule in ingress["spec"].get("rules", ())
        for path in rule["http"]["paths"]
    ]


def _resolved_paths(ingress: Document, services: dict[str, Document]) -> list[tuple[Any, ...]]:
    paths = []
    for host, path, kind, name, port in _paths(dict(ingress.obj)):
        if "name" in port and port["name"] != "use-annotation":
            spec = services[name].obj["spec"]
            port = {"number": next(p["port"] for p in spec["ports"] if p.get("name") == port["name"])}
        paths.append((host, path, kind, name, port))
    return paths


def test_profile_round_trips_to_the_same_load_balancers_hosts_paths_and_backends(
    case: Case, generated: dict[tuple[str, str, str], dict[str, Any]]
) -> None:
    services = {doc.name or "": doc for doc in case.inputs("Service")}
    owners = case.profile.report.owners
    for ingress in case.inputs("Ingress"):
        app = owners[(f"Ingress/{ingress.namespace}/{ingress.name}", Target.PROFILE)]
        out = generated[("Ingress", ingress.namespace or "default", app)]
        assert _lbc_settings(out, "ingress") == _lbc_settings(_effective(case, ingress), "ingress")
        assert ports_of(_resource(out)) == ports_of(_resource(dict(ingress.obj)))
        assert _paths(out) == _resolved_paths(ingress, services)
        assert out["spec"].get("defaultBackend") == ingress.obj["spec"].get("defaultBackend")
        tls = {host for entry in ingress.obj["spec"].get("tls", ()) for host in entry.get("hosts", ())}
        assert tls <= {host for entry in out["spec"].get("tls", ()) for host in entry.get("hosts", ())}
    for service in case.inputs("Service"):
        spec = service.obj["spec"]
        out = generated[("Service", service.namespace or "default", service.name or "")]
        if spec.get("type") == "LoadBalancer":
            original = _lbc_settings(dict(service.obj), "service")
            original.pop(catalogue.NLB_PREFIX + "type", None)
            assert _lbc_settings(out, "service") == original
            assert out["spec"]["loadBalancerClass"] == "service.k8s.aws/nlb"
            assert out["spec"].get("loadBalancerSourceRanges") == spec.get("loadBalancerSourceRanges")
            hosts = "external-dns.alpha.kubernetes.io/hostname"
            assert out["metadata"]["annotations"].get(hosts) == service.obj["metadata"]["annotations"].get(
                hosts
            )
        used = {(p["port"], p.get("protocol", "TCP")) for p in out["spec"]["ports"]}
        assert used <= {(p["port"], p.get("protocol", "TCP")) for p in spec["ports"]}


def _effective(case: Case, ingress: Document) -> dict[str, Any]:
    """The Ingress with the annotations its IngressClassParams set over its own (as LBC applies them)."""
    params = case.profile.inputs.params_of(_resource(dict(ingress.obj)))
    if params is None:
        return dict(ingress.obj)
    annotations = {**ingress.obj["metadata"].get("annotations", {})}
    annotations |= {key: value for key, (value, _) in class_annotations(params).items()}
    return {**ingress.obj, "metadata": {**ingress.obj["metadata"], "annotations": annotations}}


def _resource(obj: dict[str, Any]) -> Any:
    from eksnet_manifests.migrate.inputs import Resource
    from eksnet_manifests.migrate.report import Source

    doc = load_documents.__globals__["Document"](obj, load_documents.__globals__["Origin"]("<x>", 0))
    return Resource(doc, Source("Ingress", "", ""))


# --- nothing dropped silently --------------------------------------------------------------------


def _ref(doc: Document) -> str:
    namespaced = doc.kind not in ("IngressClass", "IngressClassParams")
    return f"{doc.kind}/{doc.namespace or 'default'}/{doc.name}" if namespaced else f"{doc.kind}/{doc.name}"


def test_report_has_an_entry_for_every_annotation_and_spec_field_read(case: Case) -> None:
    for migration in (case.profile, case.gateway):
        read = {(entry.source.ref, entry.field) for entry in migration.report.entries}
        fields = {
            (ref, field.split("[")[0].split(".")[1]) for ref, field in read if field.startswith("spec.")
        }
        for doc in case.documents:
            ref = _ref(doc)
            nlb = doc.kind == "Service" and doc.obj["spec"].get("type") == "LoadBalancer"
            if doc.kind == "Ingress" or nlb:
                for key in doc.obj["metadata"].get("annotations") or {}:
                    assert (ref, f'metadata.annotations["{key}"]') in read, (migration.target, ref, key)
            if doc.kind in ("Ingress", "IngressClass", "IngressClassParams"):
                missing = [key for key in doc.obj["spec"] if (ref, key) not in fields]
                assert missing == [], (migration.target, ref)
            if doc.kind == "Ingress":
                for rule, entry in enumerate(doc.obj["spec"].get("rules", ())):
                    for position in range(len(entry["http"]["paths"])):
                        assert (ref, f"spec.rules[{rule}].http.paths[{position}]") in read
            if (
                migration.target is Target.PROFILE
                and doc.kind in ("Service", "Deployment")
                and doc.name in {app["name"] for app in migration.profile["apps"]}
            ):
                missing = [key for key in doc.obj["spec"] if (ref, key) not in fields and key != "template"]
                assert missing == [], (ref, missing)
