"""TOPOLOGY.md: how each DNS name reaches its pods, as a Mermaid flowchart and a table.

DNS name → load balancer (NLB from a Service, ALB from an Ingress group, a Gateway's listener) → route
or Ingress rule → Service → Deployment, with schemes and ports. It is read from the objects written
(not the profile), so it shows what the controllers will build from them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from eksnet_manifests.synth.artifact import Artifact

TOPOLOGY_PATH = "TOPOLOGY.md"
GATEWAY_GROUP = "gateway.networking.k8s.io"
HOSTNAME_ANNOTATIONS = ("external-dns.alpha.kubernetes.io/hostname", "external-dns.kubernetes.io/hostname")
NLB_SCHEME = "service.beta.kubernetes.io/aws-load-balancer-scheme"
ALB_SCHEME = "alb.ingress.kubernetes.io/scheme"
ALB_GROUP = "alb.ingress.kubernetes.io/group.name"
ALB_LISTEN_PORTS = "alb.ingress.kubernetes.io/listen-ports"
# LBC's defaults when the annotation or field is absent (docs/guide/service and ingress annotations).
DEFAULT_SCHEME = "internal"
DEFAULT_ALB_LISTENERS = '[{"HTTP": 80}]'

Obj = Mapping[str, Any]


@dataclass
class _Graph:
    nodes: dict[str, str] = field(default_factory=dict)
    """key (kind and name of what the node stands for) -> node id, in insertion order."""
    labels: dict[str, str] = field(default_factory=dict)
    edges: dict[tuple[str, str], None] = field(default_factory=dict)
    """Insertion-ordered set of (source id, target id)."""
    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    def node(self, key: str, label: str) -> str:
        if key not in self.nodes:
            self.nodes[key] = f"n{len(self.nodes) + 1}"
            self.labels[self.nodes[key]] = label
        return self.nodes[key]

    def edge(self, source: str, target: str) -> None:
        self.edges[source, target] = None


def build_topology(cluster: str, objects: Sequence[Obj]) -> Artifact:
    index = _Index(objects)
    graph = _Graph()
    for service in index.kind("", "Service"):
        if _spec(service).get("type") == "LoadBalancer":
            _nlb(graph, index, service)
    for group, ingresses in sorted(index.ingress_groups().items()):
        _alb(graph, index, group, ingresses)
    for route in index.routes():
        _route(graph, index, route)
    for deployment in index.kind("apps", "Deployment"):
        graph.node(_key(deployment), _deployment_label(deployment))
    return Artifact(TOPOLOGY_PATH, render_topology(cluster, graph))


def render_topology(cluster: str, graph: _Graph) -> str:
    lines = [
        f"# {cluster}: how each DNS name reaches its pods",
        "",
        "DNS name → load balancer (NLB, ALB, Gateway listener) → route or Ingress rule → Service →",
        "Deployment, as the controllers build it from this tree. `eksnet graph` prints this file.",
        "",
        "```mermaid",
        "flowchart LR",
        *(f'  {node_id}["{_escape(label)}"]' for node_id, label in graph.labels.items()),
        *(f"  {source} --> {target}" for source, target in graph.edges),
        "```",
        "",
    ]
    if graph.rows:
        lines += [
            "| DNS name | load balancer | route or rule | Service | Deployment |",
            "|---|---|---|---|---|",
            *(f"| {' | '.join(_cell(cell) for cell in row)} |" for row in sorted(graph.rows)),
            "",
        ]
    return "\n".join(lines)


def _nlb(graph: _Graph, index: _Index, service: Obj) -> None:
    annotations = _annotations(service)
    ports = [
        f"{port.get('protocol', 'TCP')} {port.get('port')}" for port in _spec(service).get("ports") or ()
    ]
    scheme = annotations.get(NLB_SCHEME, DEFAULT_SCHEME)
    lb = graph.node(f"nlb:{_key(service)}", f"NLB {scheme}<br/>{', '.join(ports)}")
    service_node = _service(graph, index, service)
    graph.edge(lb, service_node)
    for host in _hosts(annotations):
        graph.edge(graph.node(f"dns:{host}", host), lb)
        _row(graph, index, host, f"NLB {scheme} {', '.join(ports)}", "", service)


def _alb(graph: _Graph, index: _Index, group: str, ingresses: Sequence[Obj]) -> None:
    first = _annotations(ingresses[0])
    scheme = first.get(ALB_SCHEME, DEFAULT_SCHEME)
    listeners = _alb_listeners(first.get(ALB_LISTEN_PORTS, DEFAULT_ALB_LISTENERS))
    lb = graph.node(f"alb:{group}", f"ALB {scheme}<br/>{listeners}")
    for ingress in ingresses:
        extra_hosts = _hosts(_annotations(ingress))
        for rule_index, rule in enumerate(_spec(ingress).get("rules") or ()):
            host = rule.get("host")
            for path in (rule.get("http") or {}).get("paths") or ():
                backend = (path.get("backend") or {}).get("service") or {}
                where = f"{host or '*'}{path.get('path', '/')}"
                rule_node = graph.node(
                    f"rule:{_key(ingress)}:{rule_index}:{where}", f"Ingress {_name(ingress)}<br/>{where}"
                )
                graph.edge(lb, rule_node)
                service = _backend(graph, index, rule_node, _namespace(ingress), backend.get("name"))
                for name in ([host] if host else []) + extra_hosts:
                    graph.edge(graph.node(f"dns:{name}", name), lb)
                    _row(graph, index, name, f"ALB {scheme} {listeners}", f"Ingress {where}", service)


def _route(graph: _Graph, index: _Index, route: Obj) -> None:
    kind = str(route.get("kind"))
    hosts = [str(host) for host in _spec(route).get("hostnames") or ()]
    listener_nodes = []
    for parent in _spec(route).get("parentRefs") or ():
        gateway = index.get(
            GATEWAY_GROUP, "Gateway", parent.get("namespace") or _namespace(route), parent.get("name")
        )
        if gateway is None:
            continue
        lb_label = _gateway_lb(index, gateway)
        for listener in _spec(gateway).get("listeners") or ():
            if parent.get("sectionName") not in (None, listener.get("name")):
                continue
            label = (
                f"Gateway {_name(gateway)} listener {listener.get('name')}<br/>"
                f"{lb_label} · {listener.get('protocol')} {listener.get('port')}"
            )
            listener_nodes.append(
                (graph.node(f"listener:{_key(gateway)}:{listener.get('name')}", label), lb_label, listener)
            )
    for rule_index, rule in enumerate(_spec(route).get("rules") or ()):
        where = ", ".join(_match(match) for match in rule.get("matches") or ()) or "/"
        rule_node = graph.node(f"route:{_key(route)}:{rule_index}", f"{kind} {_name(route)}<br/>{where}")
        for listener_node, _, _ in listener_nodes:
            graph.edge(listener_node, rule_node)
        for backend in rule.get("backendRefs") or ():
            namespace = backend.get("namespace") or _namespace(route)
            service = _backend(graph, index, rule_node, namespace, backend.get("name"))
            for host in hosts:
                for _, lb_label, listener in listener_nodes:
                    listens = f"{lb_label} {listener.get('protocol')} {listener.get('port')}"
                    _row(graph, index, host, listens, f"{kind} {where}", service)
    for host in hosts:
        for listener_node, _, _ in listener_nodes:
            graph.edge(graph.node(f"dns:{host}", host), listener_node)


def _gateway_lb(index: _Index, gateway: Obj) -> str:
    """The load balancer behind a Gateway: its class's controller and LoadBalancerConfiguration scheme."""
    gateway_class = index.get(GATEWAY_GROUP, "GatewayClass", "", _spec(gateway).get("gatewayClassName"))
    controller = str(_spec(gateway_class).get("controllerName", "")) if gateway_class else ""
    kind = "NLB" if controller.endswith("/nlb") else "ALB"
    refs = [
        ((_spec(gateway).get("infrastructure") or {}).get("parametersRef") or {}, _namespace(gateway)),
        (_spec(gateway_class).get("parametersRef") or {} if gateway_class else {}, None),
    ]
    for ref, namespace in refs:
        if ref.get("kind") == "LoadBalancerConfiguration":
            config = index.get(
                "gateway.k8s.aws",
                "LoadBalancerConfiguration",
                ref.get("namespace") or namespace,
                ref.get("name"),
            )
            if config is not None:
                return f"{kind} {_spec(config).get('scheme', DEFAULT_SCHEME)}"
    return f"{kind} {DEFAULT_SCHEME}"


def _backend(graph: _Graph, index: _Index, rule_node: str, namespace: str, name: Any) -> Obj | None:
    """Link ``rule_node`` to its backend Service (or a node saying it is not in the tree)."""
    service = index.get("", "Service", namespace, name)
    if service is None:
        graph.edge(rule_node, graph.node(f"missing:{namespace}/{name}", f"Service {name} (not in this tree)"))
        return None
    graph.edge(rule_node, _service(graph, index, service))
    return service


def _service(graph: _Graph, index: _Index, service: Obj) -> str:
    ports = ", ".join(
        f"{port.get('port')}→{port.get('targetPort', port.get('port'))}"
        for port in _spec(service).get("ports") or ()
    )
    node = graph.node(_key(service), f"Service {_name(service)}<br/>{ports}")
    for deployment in index.selected_by(service):
        graph.edge(node, graph.node(_key(deployment), _deployment_label(deployment)))
    return node


def _row(graph: _Graph, index: _Index, host: str, lb: str, route: str, service: Obj | None) -> None:
    """A table row; a backend missing from the tree is left blank."""
    backing = ", ".join(_name(deployment) for deployment in index.selected_by(service)) if service else ""
    graph.rows.append((host, lb, route, _name(service) if service else "", backing))


def _deployment_label(deployment: Obj) -> str:
    replicas = _spec(deployment).get("replicas", 1)
    containers = ((_spec(deployment).get("template") or {}).get("spec") or {}).get("containers") or ()
    ports = [
        str(port.get("containerPort")) for container in containers for port in container.get("ports") or ()
    ]
    shown = f" · port {', '.join(ports)}" if ports else ""
    return f"Deployment {_name(deployment)}<br/>{replicas} replica{'s' if replicas != 1 else ''}{shown}"


def _alb_listeners(listen_ports: str) -> str:
    try:
        entries = json.loads(listen_ports)
    except ValueError:
        return listen_ports
    return ", ".join(f"{protocol} {port}" for entry in entries for protocol, port in entry.items())


def _match(match: Mapping[str, Any]) -> str:
    path = match.get("path") or {}
    return str(path.get("value", "/"))


def _hosts(annotations: Mapping[str, str]) -> list[str]:
    return [
        host.strip()
        for name in HOSTNAME_ANNOTATIONS
        for host in annotations.get(name, "").split(",")
        if host.strip()
    ]


class _Index:
    """The objects by kind and name, and Deployments by namespace and label, so every lookup is cheap
    (the topology is built in time linear in the objects)."""

    def __init__(self, objects: Iterable[Obj]) -> None:
        self.by_key: dict[tuple[str, str, str, str], Obj] = {}
        for obj in objects:
            group = str(obj.get("apiVersion", "")).rpartition("/")[0]
            self.by_key[(group, str(obj.get("kind")), _namespace(obj), str(_meta(obj).get("name")))] = obj
        self.by_kind: dict[tuple[str, str], list[Obj]] = {}
        for (group, kind, _, _), obj in sorted(self.by_key.items()):
            self.by_kind.setdefault((group, kind), []).append(obj)
        self.by_label: dict[tuple[str, str, str], list[Obj]] = {}
        for deployment in self.kind("apps", "Deployment"):
            for label, value in _pod_labels(deployment).items():
                self.by_label.setdefault((_namespace(deployment), label, str(value)), []).append(deployment)

    def kind(self, group: str, kind: str) -> list[Obj]:
        return self.by_kind.get((group, kind), [])

    def get(self, group: str, kind: str, namespace: str, name: Any) -> Obj | None:
        return self.by_key.get((group, kind, namespace, str(name)))

    def routes(self) -> list[Obj]:
        return [
            obj
            for (group, kind), objects in sorted(self.by_kind.items())
            if group == GATEWAY_GROUP and kind.endswith("Route")
            for obj in objects
        ]

    def ingress_groups(self) -> dict[str, list[Obj]]:
        groups: dict[str, list[Obj]] = {}
        for ingress in self.kind("networking.k8s.io", "Ingress"):
            group = _annotations(ingress).get(ALB_GROUP) or _key(ingress)
            groups.setdefault(group, []).append(ingress)
        return groups

    def selected_by(self, service: Obj) -> list[Obj]:
        """The Deployments whose pods the Service selects (every selector label matches)."""
        selector = _spec(service).get("selector") or {}
        if not selector:
            return []
        namespace = _namespace(service)
        candidates = min(
            (self.by_label.get((namespace, label, str(value)), []) for label, value in selector.items()),
            key=len,
        )
        return [obj for obj in candidates if selector.items() <= _pod_labels(obj).items()]


def _pod_labels(deployment: Obj) -> Mapping[str, Any]:
    return ((_spec(deployment).get("template") or {}).get("metadata") or {}).get("labels") or {}


def _meta(obj: Obj) -> Mapping[str, Any]:
    return obj.get("metadata") or {}


def _spec(obj: Obj | None) -> Mapping[str, Any]:
    return (obj or {}).get("spec") or {}


def _annotations(obj: Obj) -> Mapping[str, str]:
    return _meta(obj).get("annotations") or {}


def _namespace(obj: Obj) -> str:
    return str(_meta(obj).get("namespace", ""))


def _name(obj: Obj) -> str:
    namespace = _namespace(obj)
    return f"{namespace}/{_meta(obj).get('name')}" if namespace else str(_meta(obj).get("name"))


def _key(obj: Obj) -> str:
    return f"{obj.get('kind')}:{_name(obj)}"


def _escape(label: str) -> str:
    """Mermaid node text in double quotes: a quote is written as an entity."""
    return label.replace('"', "#quot;")


def _cell(text: str) -> str:
    return text.replace("|", "\\|") or "–"
