"""The DNS cut-over plan: which records change, the order to apply things in so that no name goes
unanswered, and what in ExternalDNS's settings would delete a record on the way.

ExternalDNS facts (kubernetes-sigs/external-dns v0.21, ``plan/plan.go``, ``plan/conflict.go``,
``registry/txt.go``, ``docs/initial-design.md`` policies): an instance changes only records whose TXT
ownership record carries its ``--txt-owner-id``; with several resources claiming one name it keeps the
record on the resource that owns it until that resource goes; ``sync`` deletes the records it owns that no
watched resource claims any more, ``upsert-only`` never deletes, ``create-only`` never updates. A route
gets its Gateway's address only once LBC has created the load balancer (not in dry-run).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eksnet_manifests.migrate.draft import ServiceDraft
from eksnet_manifests.migrate.groups import Group
from eksnet_manifests.migrate.inputs import Inputs, _list, _map
from eksnet_manifests.migrate.report import Target
from eksnet_manifests.profile.profile import Profile

SOURCE_FOR_ROUTE = {
    "HTTPRoute": "gateway-httproute",
    "TCPRoute": "gateway-tcproute",
    "UDPRoute": "gateway-udproute",
    "TLSRoute": "gateway-tlsroute",
}


@dataclass(frozen=True)
class DnsSettings:
    """ExternalDNS as it runs: policy, TXT owner, sources, and where eksnet learnt them."""

    policy: str
    txt_owner_id: str | None
    sources: tuple[str, ...]
    origin: str


@dataclass(frozen=True)
class RecordChange:
    host: str
    old: str
    new: str
    source_from: str
    source_to: str

    def text(self) -> str:
        sources = (
            ""
            if self.source_from == self.source_to
            else f" (ExternalDNS source {self.source_from} -> {self.source_to})"
        )
        return f"{self.host}: {self.old} -> {self.new}{sources}"


@dataclass
class CutoverPlan:
    target: Target
    dns: DnsSettings
    records: list[RecordChange] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [
            f"DNS cut-over plan (--to {self.target.value}; ExternalDNS {self.dns.origin}: policy "
            f"{self.dns.policy}, TXT owner {self.dns.txt_owner_id or '(none)'}, sources "
            f"{', '.join(self.dns.sources) or '(none)'})"
        ]
        lines.append("Records that change:" if self.records else "Records that change: none")
        lines += [f"  {record.text()}" for record in self.records]
        lines.append("Order:")
        lines += [f"  {number}. {step}" for number, step in enumerate(self.steps, start=1)]
        if self.warnings:
            lines.append("Warnings:")
            lines += [f"  - {warning}" for warning in self.warnings]
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {
            "externalDns": {
                "policy": self.dns.policy,
                "txtOwnerId": self.dns.txt_owner_id,
                "sources": list(self.dns.sources),
                "from": self.dns.origin,
            },
            "records": [record.__dict__ for record in self.records],
            "steps": self.steps,
            "warnings": self.warnings,
        }


def running_dns(inputs: Inputs) -> DnsSettings | None:
    """ExternalDNS's settings from its Deployment's arguments, when the input has it."""
    for deployment in inputs.deployments:
        pod = _map(_map(deployment.spec.get("template")).get("spec"))
        for container in map(_map, _list(pod.get("containers"))):
            if "external-dns" not in str(container.get("image", "")):
                continue
            args = [str(arg) for arg in (*_list(container.get("command")), *_list(container.get("args")))]
            options: dict[str, list[str]] = {}
            words = [word for arg in args for word in (shlex.split(arg) if " " in arg else [arg])]
            for index, word in enumerate(words):
                if word.startswith("--"):
                    key, equals, value = word[2:].partition("=")
                    if not equals and index + 1 < len(words) and not words[index + 1].startswith("--"):
                        value = words[index + 1]
                    options.setdefault(key, []).append(value)
            return DnsSettings(
                (options.get("policy") or ["sync"])[-1],
                (options.get("txt-owner-id") or [None])[-1],
                tuple(options.get("source", [])),
                f"Deployment {deployment.namespace}/{deployment.name}",
            )
    return None


def profile_dns(base: Profile) -> DnsSettings:
    dns = base.external_dns
    sources = tuple(dns.sources) if dns.sources is not None else ("service", "ingress")
    owner = dns.txt_owner_id or base.cluster.name
    return DnsSettings(dns.policy, owner, sources, "from the profile")


@dataclass(frozen=True)
class Made:
    """What the migration made, as the plan needs it."""

    target: Target
    dry_run: bool
    owners: dict[tuple[str, Target], str]
    """Source ref -> the app (profile) or Gateway it became."""
    objects: list[dict[str, Any]]
    apps: list[dict[str, Any]]


def cutover_plan(
    inputs: Inputs, groups: Sequence[Group], services: Sequence[ServiceDraft], dns: DnsSettings, made: Made
) -> CutoverPlan:
    plan = CutoverPlan(made.target, dns)
    if made.target is Target.GATEWAY:
        _gateway_plan(plan, groups, services, made)
    else:
        _profile_plan(plan, inputs, groups, services, made)
    return plan


def _gateway_plan(
    plan: CutoverPlan, groups: Sequence[Group], services: Sequence[ServiceDraft], made: Made
) -> None:
    needed: set[str] = set()
    for group in groups:
        for member in group.members:
            where = made.owners.get((member.source.ref, Target.GATEWAY), "its Gateway")
            for host in member.hosts():
                plan.records.append(
                    RecordChange(
                        host,
                        f"Ingress {member.source.namespace}/{member.source.name}",
                        f"HTTPRoute on {where}",
                        "ingress",
                        "gateway-httproute",
                    )
                )
                needed.add("gateway-httproute")
    kinds = {obj["metadata"]["name"]: obj["kind"] for obj in made.objects if obj["kind"] in SOURCE_FOR_ROUTE}
    for draft in services:
        where = made.owners.get((draft.source.ref, Target.GATEWAY), "its Gateway")
        route_kinds = sorted(
            {kind for name, kind in kinds.items() if name.startswith(draft.source.name + "-")}
        )
        for host in draft.hostname_annotation:
            for kind in route_kinds or ["TCPRoute"]:
                plan.records.append(
                    RecordChange(
                        host,
                        f"Service {draft.source.namespace}/{draft.source.name}",
                        f"{kind} on {where}",
                        "service",
                        SOURCE_FOR_ROUTE[kind],
                    )
                )
                needed.add(SOURCE_FOR_ROUTE[kind])
    dry = (
        "with gateway.k8s.aws/dry-run"
        if made.dry_run
        else "(written without dry-run: LBC creates them at once)"
    )
    plan.steps = [
        f"Apply the Gateways, their LoadBalancerConfigurations and GatewayClasses {dry}: LBC writes its plan "
        "to the Gateway's gateway.k8s.aws/dry-run-plan annotation and creates nothing; compare it with the "
        "Ingress's (with the IngressPlanAnnotation gate on, LBC writes that to alb.ingress.kubernetes.io/"
        "dry-run-plan; lbc-migrate --console shows both) and with the report above.",
        "Remove the dry-run annotation (kubectl annotate gateway NAME gateway.k8s.aws/dry-run-, or migrate "
        "again with --no-dry-run): LBC creates the new load balancers beside the old ones; wait until each "
        "Gateway is Programmed and has status.addresses.",
        "Apply the routes, TargetGroupConfigurations and ListenerRuleConfigurations; check each route is "
        "Accepted with ResolvedRefs, and test through the new load balancer's name with the Host header "
        "(curl -H 'Host: NAME' http://ADDRESS/).",
        f"Flip ExternalDNS ownership: let the ExternalDNS instance that owns the records today (TXT owner "
        f"{plan.dns.txt_owner_id or '?'}) also watch "
        f"{', '.join(sorted(needed)) or 'the route sources'}, keeping "
        "ingress and service; it keeps each record on the resource that owns it until that resource goes.",
        "Remove the Ingresses (and set the migrated NLB Services to type ClusterIP without their LBC "
        "annotations): ExternalDNS moves each record to its route in place, and LBC deletes the old load "
        "balancers. Wait one record TTL before you delete anything the old load balancers sent traffic to.",
        "Remove the ingress (and service, if nothing else needs it) source from ExternalDNS once no Ingress "
        "or Service record is left.",
    ]
    _dns_warnings(plan, needed)


def _dns_warnings(plan: CutoverPlan, needed: set[str]) -> None:
    dns = plan.dns
    missing = sorted(needed - set(dns.sources))
    hosts = sorted({record.host for record in plan.records})
    if not hosts:
        return
    shown = ", ".join(hosts[:3]) + (f" and {len(hosts) - 3} more" if len(hosts) > 3 else "")
    if dns.policy == "sync" and missing:
        plan.warnings.append(
            f"policy sync with TXT owner {dns.txt_owner_id or '(none)'}: this ExternalDNS does not watch "
            f"{', '.join(missing)}, so removing the Ingress or Service deletes {shown} and nothing creates "
            "them again; add the sources to this same instance (step 4) before step 5"
        )
    if dns.policy == "sync" and dns.origin == "from the profile" and not missing:
        plan.warnings.append(
            f"policy sync: if another ExternalDNS instance (another TXT owner than {dns.txt_owner_id}) "
            f"serves the route sources, the owner of {shown} deletes them in step 5 and the other cannot "
            "create them until their TXT records are gone; flip ownership within one instance"
        )
    if dns.policy == "create-only":
        plan.warnings.append(
            f"policy create-only never updates a record: {shown} keep pointing at the old load balancers, "
            "which LBC deletes in step 5; switch to upsert-only or sync for the cut-over"
        )
    if dns.policy == "upsert-only" and missing:
        plan.warnings.append(
            f"policy upsert-only: without {', '.join(missing)} among its sources this ExternalDNS leaves "
            f"{shown} pointing at the old load balancers after step 5, and no other instance can take them "
            "over (TXT owner); add the sources first"
        )


def _profile_plan(
    plan: CutoverPlan,
    inputs: Inputs,
    groups: Sequence[Group],
    services: Sequence[ServiceDraft],
    made: Made,
) -> None:
    owners = made.owners
    renamed = []
    for group in groups:
        for member in group.members:
            app = owners.get((member.source.ref, Target.PROFILE))
            if app is None or app == member.source.name or group.explicit:
                continue
            renamed.append((member, app))
            for host in member.hosts():
                plan.records.append(
                    RecordChange(
                        host,
                        f"ALB of Ingress {member.source.namespace}/{member.source.name}",
                        f"ALB of Ingress {member.source.namespace}/{app}",
                        "ingress",
                        "ingress",
                    )
                )
    recreated = [draft for draft in services if _class_changes(inputs, draft)]
    for draft in recreated:
        for host in draft.hostname_annotation:
            plan.records.append(
                RecordChange(
                    host,
                    f"NLB of Service {draft.source.namespace}/{draft.source.name}",
                    "the NLB of the Service created anew",
                    "service",
                    "service",
                )
            )
    deployments = [
        inputs.deployment_for(service)
        for app in made.apps
        if (service := inputs.service(app["namespace"], app["name"])) is not None
    ]
    selectors = [d for d in deployments if d is not None and _selector_changes(d.spec, d.name)]
    steps = []
    if selectors:
        names = ", ".join(f"{d.namespace}/{d.name}" for d in selectors)
        steps.append(
            f"Deployments {names}: eksnet selects pods by app.kubernetes.io/name and a Deployment's selector "
            "cannot change. Delete each with kubectl delete deployment NAME --cascade=orphan (its pods keep "
            "serving), apply eksnet's Deployment and wait for its rollout; only then apply the Service, "
            "whose new selector moves the load balancer's targets to the new pods. Delete the orphaned "
            "ReplicaSet last."
        )
    steps.append(
        "Apply the rest of eksnet's output (eksnet gen all): Ingresses and Services that keep their name are "
        "updated in place, and LBC reconciles their load balancers without a DNS change."
    )
    if renamed:
        listed = ", ".join(f"{m.source.namespace}/{m.source.name} -> {app}" for m, app in renamed)
        steps.append(
            f"Renamed Ingresses ({listed}) get new ALBs beside the old ones. Wait until each new Ingress has "
            "its address, test it with the Host header, then delete the old Ingress: ExternalDNS moves each "
            "record to the new ALB in place (the same instance owns both)."
        )
    if recreated:
        listed = ", ".join(f"{d.source.namespace}/{d.source.name}" for d in recreated)
        steps.append(
            f"Services {listed} change their loadBalancerClass, which cannot change in place: the Service is "
            "deleted and created again, with a new NLB. Their names are unanswered until the new NLB is "
            "active and ExternalDNS has run: to avoid that, give the app another name so both Services "
            "live side by side, or move them to an NLB Gateway (--to gateway)."
        )
        plan.warnings.append(
            f"Services {listed}: re-creating the Service deletes its NLB before the new one answers"
        )
    plan.steps = steps
    if plan.dns.policy == "create-only" and plan.records:
        _dns_warnings(plan, set())


def _class_changes(inputs: Inputs, draft: ServiceDraft) -> bool:
    service = inputs.service(draft.source.namespace, draft.source.name)
    return service is not None and service.spec.get("loadBalancerClass") != "service.k8s.aws/nlb"


def _selector_changes(spec: Any, name: str) -> bool:
    labels = _map(_map(spec.get("selector")).get("matchLabels"))
    return dict(labels) != {"app.kubernetes.io/name": name}
