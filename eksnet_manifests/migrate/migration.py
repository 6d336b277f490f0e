"""Runs a migration: inputs -> drafts -> profile fragment or Gateway API objects -> cut-over plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eksnet_manifests.check.documents import Document
from eksnet_manifests.migrate.alb import translate_ingress
from eksnet_manifests.migrate.class_params import apply_params, report_class, translate_params
from eksnet_manifests.migrate.cutover import (
    CutoverPlan,
    DnsSettings,
    Made,
    cutover_plan,
    profile_dns,
    running_dns,
)
from eksnet_manifests.migrate.draft import Draft, ServiceDraft
from eksnet_manifests.migrate.groups import partition, report_conflicts
from eksnet_manifests.migrate.inputs import Inputs, read_inputs
from eksnet_manifests.migrate.report import Report, Status, Target, dropped
from eksnet_manifests.migrate.service import translate_service
from eksnet_manifests.migrate.to_gateway import GatewayOptions, build_gateway
from eksnet_manifests.migrate.to_profile import build_profile, implied_sources
from eksnet_manifests.profile.profile import Profile


@dataclass(frozen=True)
class MigrateOptions:
    target: Target
    base: Profile
    """The profile whose pins (LBC, Gateway API) and ExternalDNS settings the output is written for."""
    dry_run: bool = True
    """Mark the Gateways ``gateway.k8s.aws/dry-run: "true"``: LBC plans them without creating anything."""
    as_apps: bool = False
    """With the gateway target: also write the Gateways and routes as a profile fragment of gateway apps."""
    dns: DnsSettings | None = None
    """ExternalDNS as it runs today, when known better than the profile says."""


@dataclass
class Migration:
    target: Target
    report: Report
    inputs: Inputs
    profile: dict[str, Any] = field(default_factory=dict)
    """The profile fragment (``--to profile``, or the gateway apps with ``as_apps``)."""
    files: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Gateway API and LBC objects per output file (``--to gateway``), in the order they are applied."""
    plan: CutoverPlan | None = None

    @property
    def objects(self) -> list[dict[str, Any]]:
        return [obj for objects in self.files.values() for obj in objects]

    @property
    def failed(self) -> bool:
        return any(entry.outcome(self.target).status is Status.ERROR for entry in self.report.entries)


def migrate(documents: Sequence[Document], options: MigrateOptions) -> Migration:
    report = Report()
    inputs = read_inputs(documents, report, options.base.cluster.kubernetes_version)
    drafts: list[Draft] = []
    classes = {name: translate_params(params, report) for name, params in sorted(inputs.params.items())}
    for ingress_class in inputs.classes.values():
        report_class(ingress_class, report)
    for ingress in inputs.ingresses:
        if inputs.class_of(ingress) is None:
            reason = f"its IngressClass {ingress.spec.get('ingressClassName')} is not LBC's: left as it is"
            report.both(ingress.source, "spec.ingressClassName", dropped(reason), ingress.line_of("spec"))
            continue
        draft = translate_ingress(ingress, report)
        params = inputs.params_of(ingress)
        if params is not None:
            apply_params(draft, classes[params.name], report)
        drafts.append(draft)
    services: list[ServiceDraft] = [
        translate_service(service, report) for service in inputs.load_balancer_services()
    ]
    report_conflicts(inputs, report)
    migration = Migration(options.target, report, inputs)
    groups = partition(drafts)
    if options.target is Target.PROFILE:
        migration.profile = implied_sources(
            options.base, build_profile(inputs, drafts, services, report).data
        )
    else:
        built = build_gateway(
            inputs, groups, services, report, GatewayOptions(options.base, options.dry_run, options.as_apps)
        )
        migration.files = built.files
        if options.as_apps:
            migration.profile = implied_sources(options.base, built.profile)
    dns = options.dns or running_dns(inputs) or profile_dns(options.base)
    made = Made(
        options.target, options.dry_run, report.owners, migration.objects, migration.profile.get("apps", [])
    )
    migration.plan = cutover_plan(inputs, groups, services, dns, made)
    return migration
