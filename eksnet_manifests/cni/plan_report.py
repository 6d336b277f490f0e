"""The capacity plan as text, Markdown (with Mermaid charts) and JSON-ready data."""

from __future__ import annotations

from math import ceil
from typing import Any

from eksnet_manifests.cni.fit import NodeGroupFit, PodCount
from eksnet_manifests.cni.plan import AddressUse, CapacityPlan, SubnetPool, Suggestion

CHART_SCALE = 1.1  # y-axis headroom above the tallest bar


def verdict(plan: CapacityPlan) -> str:
    if plan.fits:
        return f"fits ({plan.headroom} free pod slots)"
    return f"does not fit ({-plan.headroom} pods short)"


def setting(suggestion: Suggestion, code: str = "") -> str:
    """``field: value``, then the edits that go with it ("and remove …", "and …")."""
    parts = []
    for field, value in suggestion.changes:
        text = f"remove {code}{field}{code}" if value is None else f"{code}{field}: {value}{code}"
        parts.append(text if not parts else f"and {text}")
    return " ".join(parts)


def _counts(pods: tuple[PodCount, ...]) -> str:
    return ", ".join(f"{pod.name} {pod.count}" for pod in pods) or "none"


def _max_pods_source(fit: NodeGroupFit) -> str:
    if fit.max_pods_overridden:
        computed = f"; the formula gives {fit.recommended.value}" if fit.recommended else ""
        return f"set by nodeGroups[{fit.index}].maxPods{computed}"
    assert fit.recommended is not None
    return f"formula: {fit.recommended.formula()}"


def _group_rows(plan: CapacityPlan, fit: NodeGroupFit) -> list[tuple[str, str, str]]:
    ips = fit.pod_ips_per_node
    return [
        ("kubelet maxPods", str(fit.kubelet_max_pods), _max_pods_source(fit)),
        (
            "host-network pods",
            str(fit.host_network_pods),
            f"{', '.join(plan.host_network)}: fill kubelet slots, take no pod address",
        ),
        ("pod addresses per node", "unknown" if ips is None else str(ips), f"{plan.vpc_cni.mode} mode"),
        ("pod slots per node", str(fit.slots_per_node), f"limited by {fit.limited_by}"),
        ("pod slots", str(fit.slots), f"{fit.nodes} nodes"),
    ]


def _demand_rows(plan: CapacityPlan) -> list[tuple[str, str, str]]:
    return [
        ("system pods", str(sum(p.count for p in plan.system_pods)), _counts(plan.system_pods)),
        ("app pods", str(sum(p.count for p in plan.app_pods)), _counts(plan.app_pods)),
        ("total", str(plan.demand), f"of {plan.slots} pod slots"),
    ]


def _usage(pool: SubnetPool, use: AddressUse) -> str:
    held = f"{use.addresses:,} held"
    if not pool.cidrs:
        return f"{held}; busiest subnet ~{use.busiest_subnet:,} (subnet sizes unknown)"
    share = use.addresses / pool.usable if pool.usable else 1.0
    return f"{held} ({share:.1%}); busiest subnet ~{use.busiest_subnet:,} of {pool.smallest_usable:,}"


def _pool_title(pool: SubnetPool) -> str:
    if not pool.cidrs:
        return f"{pool.name}, CIDRs not given"
    return f"{pool.name} {', '.join(pool.cidrs)}: {pool.usable:,} usable (AWS keeps 5 per subnet)"


def render_text(plan: CapacityPlan) -> str:
    lines = [f"Capacity plan for {plan.cluster} (VPC CNI {plan.vpc_cni.mode})", ""]
    for fit in plan.groups:
        lines.append(f"Node group {fit.name}: {fit.nodes} x {fit.group.instance_type}")
        lines += [f"  {name:<24}{value:>6}   {why}" for name, value, why in _group_rows(plan, fit)]
        lines.append("")
    lines.append("Pods that need a pod address")
    lines += [f"  {name:<24}{value:>6}   {why}" for name, value, why in _demand_rows(plan)]
    lines += ["", f"Result: {verdict(plan)}"]
    if plan.suggestions:
        lines += ["", "Any one of these makes them fit:"]
        width = max(len(setting(s)) for s in plan.suggestions)
        lines += [f"  {setting(s):<{width}}  {s.slots:>5} slots  {s.detail}" for s in plan.suggestions]
    for pool in plan.subnets:
        lines += ["", f"Subnet addresses ({_pool_title(pool)})"]
        lines += [f"  {use.scenario} ({use.nodes} nodes): {_usage(pool, use)}" for use in pool.use]
    lines += _listing("Issues", [f"{i.severity}: {i.field}: {i.message}" for i in plan.issues])
    lines += _listing("Notes", list(plan.notes))
    return "\n".join(lines) + "\n"


def _listing(title: str, items: list[str]) -> list[str]:
    return ["", f"{title}:", *(f"  - {item}" for item in items)] if items else []


def render_markdown(plan: CapacityPlan) -> str:
    out = [
        f"# Capacity plan: {plan.cluster}",
        "",
        f"VPC CNI mode **{plan.vpc_cni.mode}**: {verdict(plan)}.",
        "",
    ]
    out += _pods_chart(plan)
    for fit in plan.groups:
        out += [f"## Node group {fit.name}: {fit.nodes} x {fit.group.instance_type}", ""]
        out += _table(("", "value", "why"), _group_rows(plan, fit))
    out += ["## Pods that need a pod address", ""]
    out += _table(("", "pods", "which"), _demand_rows(plan))
    if plan.suggestions:
        out += ["## Any one of these makes them fit", ""]
        rows = [(setting(s, "`"), str(s.slots), s.detail) for s in plan.suggestions]
        out += _table(("setting", "pod slots", "effect"), rows)
    for pool in plan.subnets:
        out += [f"## Subnet addresses: {pool.name}", "", f"{_pool_title(pool)}.", ""]
        out += _table(
            ("cluster size", "nodes", "addresses"),
            [(u.scenario, str(u.nodes), _usage(pool, u)) for u in pool.use],
        )
        out += _address_chart(pool)
    if plan.issues:
        out += ["## Issues", "", *(f"- **{i.severity}** `{i.field}`: {i.message}" for i in plan.issues), ""]
    if plan.notes:
        out += ["## Notes", "", *(f"- {note}" for note in plan.notes), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _table(header: tuple[str, str, str], rows: list[tuple[str, str, str]]) -> list[str]:
    lines = [f"| {' | '.join(header)} |", "|---|--:|---|"]
    lines += [f"| {' | '.join(cell.replace('|', '/') for cell in row)} |" for row in rows]
    return [*lines, ""]


def _label(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def _pods_chart(plan: CapacityPlan) -> list[str]:
    """A bar chart: pods requested, slots now, and slots after each suggested change."""
    bars = [("requested", plan.demand), ("slots now", plan.slots)]
    bars += [(f"{s.field.rsplit('.', 1)[-1]} {s.value}", s.slots) for s in plan.suggestions]
    top = max(1, ceil(max(value for _, value in bars) * CHART_SCALE))
    return [
        "```mermaid",
        "xychart-beta",
        f"    title {_label('Pods needing an address vs pod slots')}",
        f"    x-axis [{', '.join(_label(name) for name, _ in bars)}]",
        f"    y-axis {_label('pods')} 0 --> {top}",
        f"    bar [{', '.join(str(value) for _, value in bars)}]",
        "```",
        "",
    ]


def _address_chart(pool: SubnetPool) -> list[str]:
    """A pie of the pool's usable addresses at the first cluster size: held by nodes vs free."""
    if not pool.cidrs or not pool.use:
        return []
    held = min(pool.use[0].addresses, pool.usable)
    return [
        "```mermaid",
        f"pie showData title {pool.name[:1].upper()}{pool.name[1:]} at {pool.use[0].scenario}",
        f"    {_label('held by nodes (pods + warm pool)')} : {held}",
        f"    {_label('free')} : {pool.usable - held}",
        "```",
        "",
    ]


def plan_to_data(plan: CapacityPlan) -> dict[str, Any]:
    """JSON-ready form, camelCase like the profile."""
    return {
        "cluster": plan.cluster,
        "mode": plan.vpc_cni.mode,
        "fits": plan.fits,
        "podSlots": plan.slots,
        "podsRequested": plan.demand,
        "headroom": plan.headroom,
        "hostNetworkPods": list(plan.host_network),
        "nodeGroups": [_group_data(fit) for fit in plan.groups],
        "systemPods": {pod.name: pod.count for pod in plan.system_pods},
        "appPods": {pod.name: pod.count for pod in plan.app_pods},
        "suggestions": [
            {
                "changes": [{"field": f, "value": v} for f, v in s.changes],
                "podSlots": s.slots,
                "detail": s.detail,
            }
            for s in plan.suggestions
        ],
        "subnets": [
            {
                "pool": pool.name,
                "cidrs": list(pool.cidrs),
                "usable": pool.usable,
                "use": [
                    {
                        "scenario": u.scenario,
                        "nodes": u.nodes,
                        "addresses": u.addresses,
                        "busiestSubnet": u.busiest_subnet,
                    }
                    for u in pool.use
                ],
            }
            for pool in plan.subnets
        ],
        "issues": [{"severity": i.severity, "field": i.field, "message": i.message} for i in plan.issues],
        "notes": list(plan.notes),
    }


def _group_data(fit: NodeGroupFit) -> dict[str, Any]:
    return {
        "name": fit.name,
        "instanceType": fit.group.instance_type,
        "nodes": fit.nodes,
        "kubeletMaxPods": fit.kubelet_max_pods,
        "maxPodsOverridden": fit.max_pods_overridden,
        "recommendedMaxPods": fit.recommended.value if fit.recommended else None,
        "podAddressesPerNode": fit.pod_ips_per_node,
        "hostNetworkPodsPerNode": fit.host_network_pods,
        "podSlotsPerNode": fit.slots_per_node,
        "limitedBy": fit.limited_by,
        "podSlots": fit.slots,
    }
