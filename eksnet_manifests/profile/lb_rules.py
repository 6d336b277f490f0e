"""What the controllers make of an NLB or ALB exposure's typed settings and raw annotations.

``load_balancer_problems`` lists the settings LBC or ELB would refuse or silently ignore, a typed field
the pinned LBC release does not read yet, and an annotation set both by a typed field and through
``annotations``. ``load_balancer_warnings`` names the typed field for each documented annotation written
through ``annotations`` (unknown LBC keys and keys the release does not read are reported by the checks
of the generated objects, as for any manifest).
"""

from __future__ import annotations

from collections.abc import Iterator

from eksnet_manifests.profile.exposure import AlbExposure, NlbExposure
from eksnet_manifests.profile.names import arn_region_problem, is_ipv6
from eksnet_manifests.profile.typed_fields import EXPOSE, explicitly_set, is_empty, typed_value
from eksnet_manifests.versions import elb, lbc_annotations
from eksnet_manifests.versions.lbc_annotations import (
    ALB_DEFAULT_INTERVAL,
    ALB_DEFAULT_TIMEOUT,
    Annotation,
    Family,
)

Path = tuple[str | int, ...]
Report = tuple[Path, str]
LbExposure = NlbExposure | AlbExposure
PRODUCT = "AWS Load Balancer Controller"


def family(expose: LbExposure) -> Family:
    return "ingress" if isinstance(expose, AlbExposure) else "service"


def _path(field: str) -> Path:
    return tuple(field.removeprefix(EXPOSE).split("."))


def load_balancer_problems(expose: LbExposure, *, lbc_version: str, region: str) -> Iterator[Report]:
    """Every problem of ``expose``'s load balancer settings, as (path under ``expose``, message)."""
    yield from _access_problems(expose)
    yield from _tls_problems(expose)
    yield from _health_check_problems(expose)
    if isinstance(expose, AlbExposure):
        yield from _alb_problems(expose, region)
    yield from _unread_fields(expose, lbc_version)
    yield from _set_twice(expose)


def _access_problems(expose: LbExposure) -> Iterator[Report]:
    dual_stack = (expose.ip_address_type or "ipv4") != "ipv4"
    ipv6 = [cidr for cidr in expose.source_ranges if is_ipv6(cidr)]
    if ipv6 and not dual_stack:
        # pkg/service/model_build_managed_sg.go buildCIDRsFromSourceRanges fails the Service;
        # pkg/ingress/model_build_managed_sg.go writes IPv6 rules only when dual-stack (LBC v3.5.0).
        what = "LBC fails the Service" if isinstance(expose, NlbExposure) else "LBC drops them"
        yield (
            ("sourceRanges",),
            f"IPv6 range {ipv6[0]} on an IPv4 load balancer: {what}; set ipAddressType: dualstack",
        )
    if expose.security_groups:
        # docs/guide/{ingress,service}/annotations.md (LBC v3.5.0): ignored with security-groups.
        ignored = {
            "sourceRanges": expose.source_ranges,
            "securityGroupPrefixLists": expose.security_group_prefix_lists,
        }
        for field, given in ignored.items():
            if given:
                yield (
                    (field,),
                    f"{field} has no effect with securityGroups: LBC only opens the security group it "
                    "manages; allow the clients in your own groups, or drop securityGroups",
                )
    elif expose.manage_backend_security_group_rules is not None:
        yield (
            ("manageBackendSecurityGroupRules",),
            "manageBackendSecurityGroupRules applies only with securityGroups (LBC manages the backend rules "
            "of the security group it creates anyway)",
        )


def _tls_problems(expose: LbExposure) -> Iterator[Report]:
    tls = expose.tls_enabled if isinstance(expose, AlbExposure) else bool(expose.certificate_arns)
    needs = "https: true or certificateArns" if isinstance(expose, AlbExposure) else "certificateArns"
    if expose.ssl_policy and not tls:
        yield (("sslPolicy",), f"sslPolicy applies to TLS listeners, and there is none: set {needs}")
    if isinstance(expose, NlbExposure) and expose.alpn_policy and not tls:
        yield (("alpnPolicy",), "alpnPolicy applies to TLS listeners, and there is none: set certificateArns")


def _health_check_problems(expose: LbExposure) -> Iterator[Report]:
    check = expose.health_check
    if check is None:
        return
    if check.success_codes is not None:
        if isinstance(expose, NlbExposure) and (check.protocol or "TCP") == "TCP":
            # pkg/service/model_build_target_group.go buildTargetGroupHealthCheckMatcher (LBC v3.5.0).
            yield (
                ("healthCheck", "successCodes"),
                "an NLB matches success codes only for HTTP or HTTPS health checks, and this one is TCP "
                "(the default): set healthCheck.protocol",
            )
        else:
            grpc = isinstance(expose, AlbExposure) and expose.backend_protocol_version == "GRPC"
            kind = "grpc" if grpc else ("alb" if isinstance(expose, AlbExposure) else "nlb")
            problem = elb.success_codes_problem(check.success_codes, elb.MATCHER_RANGES[kind])
            if problem:
                yield (("healthCheck", "successCodes"), problem + (" (gRPC codes)" if grpc else ""))
    if isinstance(expose, AlbExposure):
        interval = check.interval_seconds or ALB_DEFAULT_INTERVAL
        timeout = check.timeout_seconds or ALB_DEFAULT_TIMEOUT
        if timeout >= interval:
            # ELBv2 CreateTargetGroup: "Health check interval must be greater than the timeout".
            field = "timeoutSeconds" if check.timeout_seconds is not None else "intervalSeconds"
            yield (
                ("healthCheck", field),
                f"the health check timeout ({timeout}s) must be shorter than its interval ({interval}s): ELB "
                "refuses the target group (LBC's defaults: timeout 5s, interval 15s)",
            )


def _alb_problems(expose: AlbExposure, region: str) -> Iterator[Report]:
    if expose.target_type == "instance" and expose.service_type == "ClusterIP":
        # docs/guide/ingress/annotations.md target-type (LBC v3.5.0).
        yield (
            ("targetType",),
            "instance targets route to node ports, which ClusterIP Services lack: set serviceType: NodePort",
        )
    attributes = expose.target_group_attributes
    if attributes and attributes.stickiness and expose.target_type != "ip":
        # docs/guide/ingress/annotations.md target-group-attributes (LBC v3.5.0).
        yield (
            ("targetGroupAttributes", "stickiness"),
            "ALB sticky sessions need targetType: ip",
        )
    if expose.group_order is not None and expose.group_name is None:
        yield (("groupOrder",), "groupOrder orders rules within an IngressGroup: set groupName")
    if expose.wafv2_acl_arn and expose.wafv2_acl_name:
        # pkg/ingress/model_build_load_balancer_addons.go buildWAFv2WebACLAssociation (LBC v3.5.0).
        yield (
            ("wafv2AclArn",),
            "set wafv2AclArn or wafv2AclName, not both: LBC uses the name and ignores the ARN",
        )
    if expose.wafv2_acl_arn and expose.wafv2_acl_arn != "none":
        problem = arn_region_problem(expose.wafv2_acl_arn, region)
        if problem:
            # docs/guide/ingress/annotations.md wafv2-acl-arn (LBC v3.5.0): regional web ACLs only.
            yield (
                ("wafv2AclArn",),
                f"the web ACL {problem}: an ALB takes a regional web ACL of its own region",
            )


def _typed_entries(expose: LbExposure) -> Iterator[tuple[Annotation, str]]:
    """The catalogue entries of ``expose``'s family with a typed field, with that field."""
    for entry in lbc_annotations.of_family(family(expose)):
        if entry.field:
            yield entry, entry.field


def _unread_fields(expose: LbExposure, lbc_version: str) -> Iterator[Report]:
    for entry, field in _typed_entries(expose):
        if entry.replaced_by or lbc_annotations.reads(entry, lbc_version):
            continue
        if not is_empty(typed_value(expose, field)) and explicitly_set(expose, field):
            yield (
                _path(field),
                f"needs {PRODUCT} {entry.since} or newer, which first reads {entry.key}; "
                f"loadBalancerController.version is {lbc_version}",
            )


def _set_twice(expose: LbExposure) -> Iterator[Report]:
    for key, fields in _raw_fields(expose):
        typed = [f"expose.{_shown(field)}" for field in fields if explicitly_set(expose, field)]
        if typed:
            replaces = " (a raw key=value map replaces every typed attribute)" if len(fields) > 1 else ""
            yield (
                ("annotations", key),
                f"{key} is set both here and by {', '.join(typed)}: the raw value would win{replaces}; "
                "remove it and keep the typed field",
            )


def _raw_fields(expose: LbExposure) -> Iterator[tuple[str, list[str]]]:
    """Per raw annotation of ``expose`` that a typed field writes: those fields."""
    for key in sorted(expose.annotations):
        entry = lbc_annotations.lookup(key)
        if entry is None or not entry.field or entry.family != family(expose):
            continue
        # A raw key=value map replaces the typed one: every typed attribute of it is lost.
        yield key, list(lbc_annotations.attribute_fields(entry.key).values()) or [entry.field]


def load_balancer_warnings(expose: LbExposure) -> Iterator[Report]:
    """Documented annotations written through ``annotations`` that a typed field sets instead."""
    for key, value in sorted(expose.annotations.items()):
        entry = lbc_annotations.lookup(key)
        if entry is None or entry.family != family(expose):
            continue
        attributes = lbc_annotations.attribute_fields(entry.key)
        if attributes:
            given = [part.split("=", 1)[0].strip() for part in value.split(",") if "=" in part]
            typed = [f"{name} -> expose.{_shown(attributes[name])}" for name in given if name in attributes]
            if typed:
                yield (("annotations", key), f"{key} has typed fields for {', '.join(typed)}: use them")
        elif entry.field:
            yield (
                ("annotations", key),
                f"{key} is set by expose.{_shown(entry.field)}: use the typed field, which eksnet validates",
            )


def _shown(field: str) -> str:
    return field.removeprefix(EXPOSE)
