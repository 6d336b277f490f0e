"""Typed load balancer settings: refused at their profile line when LBC or ELB would refuse or ignore
them, gated by the pinned LBC release, and the raw ``annotations`` escape hatch reported against them."""

from __future__ import annotations

import pytest
import yaml

from eksnet_manifests.errors import SpecError
from eksnet_manifests.profile.base import dump
from eksnet_manifests.profile.exposure import AlbExposure, NlbExposure
from eksnet_manifests.profile.load import parse_profile

HEAD = """\
cluster: {name: lbs, region: eu-west-1, vpcId: vpc-0123456789abcdef0}
nodeGroups: [{name: ng, instanceType: t3.medium, desiredSize: 2}]
loadBalancerController: {version: VERSION}
apps:
  - name: app
    expose:
      type: KIND
"""
A = "alb.ingress.kubernetes.io/"
S = "service.beta.kubernetes.io/aws-load-balancer-"
WAF = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/web/3ab78708-85b0-49d3-b4e1-7a9615a6613b"
CERT = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-0000-1111-2222-333344445555"


def profile_text(kind: str, settings: str, version: str = "v3.5.0") -> str:
    body = "".join(f"      {line}\n" for line in settings.strip("\n").splitlines())
    return HEAD.replace("KIND", kind).replace("VERSION", version) + body


def problems(kind: str, settings: str, version: str = "v3.5.0") -> list[str]:
    with pytest.raises(SpecError) as caught:
        parse_profile(profile_text(kind, settings, version), "eksnet.yaml")
    return [str(problem) for problem in caught.value.problems()]


FULL = {
    "nlb": f"""
subnets: [subnet-0123456789abcdef0, public-a]
securityGroups: [sg-0123456789abcdef0]
manageBackendSecurityGroupRules: false
ipAddressType: dualstack
loadBalancerName: api
certificateArns: [{CERT}]
sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
alpnPolicy: HTTP2Optional
targetType: instance
tags: {{Team: api}}
accessLogs: {{bucket: logs, prefix: api}}
loadBalancerAttributes: {{deletionProtection: true, dnsClientRoutingPolicy: availability_zone_affinity}}
targetGroupAttributes:
  deregistrationDelaySeconds: 15
  connectionTermination: true
  preserveClientIp: true
  proxyProtocolV2: true
  stickiness: {{enabled: true}}
  unhealthyConnectionTermination: false
  unhealthyDrainingIntervalSeconds: 30
healthCheck: {{protocol: HTTPS, port: 8443, path: /ready, intervalSeconds: 10, timeoutSeconds: 10,
  healthyThreshold: 3, unhealthyThreshold: 3, successCodes: "200-399"}}
""",
    "alb": f"""
subnets: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]
sourceRanges: [203.0.113.0/24, "2001:db8::/32"]
securityGroupPrefixLists: [pl-0123456789abcdef0]
ipAddressType: dualstack
certificateArns: [{CERT}]
sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
groupName: shop
groupOrder: -5
backendProtocol: HTTPS
backendProtocolVersion: GRPC
wafv2AclArn: {WAF}
shieldAdvancedProtection: true
tags: {{Team: web, CostCentre: "42"}}
accessLogs: {{enabled: false}}
loadBalancerAttributes: {{idleTimeoutSeconds: 4000, clientKeepAliveSeconds: 60, http2: true}}
targetGroupAttributes:
  slowStartSeconds: 0
  loadBalancingAlgorithm: weighted_random
  anomalyMitigation: "on"
  stickiness: {{type: lb_cookie, lbCookieDurationSeconds: 604800}}
healthCheck: {{intervalSeconds: 300, timeoutSeconds: 120, successCodes: "0-99"}}
""",
}


@pytest.mark.parametrize("kind", ["nlb", "alb"])
def test_every_setting_round_trips(kind: str) -> None:
    # GIVEN a profile setting every typed load balancer key of the kind
    loaded = parse_profile(profile_text(kind, FULL[kind]), "eksnet.yaml").profile
    model = NlbExposure if kind == "nlb" else AlbExposure
    exposure = loaded.apps[0].expose
    assert isinstance(exposure, model)
    # WHEN it is written out and read again THEN it is the same profile
    again = parse_profile(yaml.safe_dump(dump(loaded), sort_keys=False), "again.yaml").profile
    assert again == loaded


@pytest.mark.parametrize(
    ("kind", "setting", "expected"),
    [
        ("alb", "subnets: [subnet-xyz]", "subnets[0]: 'subnet-xyz' is not a subnet ID"),
        ("alb", "subnets: [a, a]", "subnets: 'a' is listed twice"),
        (
            "nlb",
            "securityGroups: ['web,api']",
            "securityGroups[0]: 'web,api' is not a security group Name tag",
        ),
        (
            "alb",
            "sourceRanges: [10.0.0.1/8]",
            "sourceRanges[0]: '10.0.0.1/8' is not in canonical form: write 10.0.0.0/8",
        ),
        ("nlb", "sourceRanges: [10.0.0.0]", "sourceRanges[0]: '10.0.0.0' is not a CIDR block"),
        ("alb", "securityGroupPrefixLists: [pl-1]", "'pl-1' is not a managed prefix list ID"),
        (
            "nlb",
            "ipAddressType: dualstack-without-public-ipv4",
            "ipAddressType: must be one of 'ipv4' or 'dualstack'",
        ),
        ("alb", "loadBalancerName: internal-web", "'internal-web' is not a load balancer name"),
        ("alb", "https: true\n sslPolicy: TLS13", "'TLS13' is not an ELB security policy"),
        ("alb", "tags: {'aws:team': web}", "'aws:team' is not an AWS tag key"),
        ("nlb", "tags: {team: 'a,b'}", "'a,b' is not an AWS tag value"),
        ("alb", "accessLogs: {bucket: My_Logs}", "'My_Logs' is not an S3 bucket name"),
        ("alb", "accessLogs: {bucket: logs, prefix: /app}", "'/app' is not an S3 key prefix"),
        ("nlb", "accessLogs: {prefix: app}", "accessLogs: access logs need a bucket"),
        (
            "alb",
            "wafv2AclArn: arn:aws:wafv2:eu-west-1:111122223333:global/webacl/w/x",
            "not a regional WAFv2",
        ),
        ("alb", "groupName: g\n groupOrder: 1001", "groupOrder: must be less than or equal to 1000"),
        ("alb", "healthCheck: {intervalSeconds: 4}", "intervalSeconds: must be greater than or equal to 5"),
        ("nlb", "healthCheck: {timeoutSeconds: 121}", "timeoutSeconds: must be less than or equal to 120"),
        ("nlb", "healthCheck: {healthyThreshold: 11}", "healthyThreshold: must be less than or equal to 10"),
        (
            "alb",
            "healthCheck: {unhealthyThreshold: 1}",
            "unhealthyThreshold: must be greater than or equal to 2",
        ),
        ("alb", "healthCheck: {intervalSeconds: 10.0}", "intervalSeconds: must be a whole number"),
        (
            "nlb",
            "targetGroupAttributes: {deregistrationDelaySeconds: 3601}",
            "must be less than or equal to 3600",
        ),
        ("alb", "targetGroupAttributes: {slowStartSeconds: 29}", "must be 0 (off) or within 30-900"),
        ("nlb", "targetGroupAttributes: {slowStartSeconds: 30}", "unknown field 'slowStartSeconds'"),
        ("alb", "targetGroupAttributes: {proxyProtocolV2: true}", "unknown field 'proxyProtocolV2'"),
        (
            "alb",
            "targetGroupAttributes: {anomalyMitigation: 'on'}",
            "anomalyMitigation needs loadBalancingAlgorithm",
        ),
        (
            "alb",
            "targetGroupAttributes: {stickiness: {type: app_cookie}}",
            "type app_cookie needs appCookieName",
        ),
        (
            "alb",
            "targetGroupAttributes: {stickiness: {type: app_cookie, appCookieName: AWSALBX}}",
            "'AWSALBX' is not a cookie name",
        ),
        ("nlb", "targetGroupAttributes: {stickiness: {type: lb_cookie}}", "type: must be one of 'source_ip'"),
        (
            "nlb",
            "targetGroupAttributes: {unhealthyDrainingIntervalSeconds: 30}",
            "unhealthyDrainingIntervalSeconds needs unhealthyConnectionTermination: false",
        ),
        ("alb", "loadBalancerAttributes: {idleTimeoutSeconds: 0}", "must be greater than or equal to 1"),
        ("nlb", "loadBalancerAttributes: {idleTimeoutSeconds: 60}", "unknown field 'idleTimeoutSeconds'"),
        ("alb", "targetType: pod", "targetType: must be one of 'ip' or 'instance'"),
    ],
)
def test_bad_values_are_refused_at_their_line(kind: str, setting: str, expected: str) -> None:
    found = problems(kind, setting.replace("\n ", "\n"))
    assert any(expected in problem for problem in found), found
    assert all(problem.startswith("eksnet.yaml:") for problem in found)


@pytest.mark.parametrize(
    ("kind", "settings", "expected"),
    [
        (
            "nlb",
            'sourceRanges: ["2001:db8::/32"]',
            "eksnet.yaml:8: apps[0].expose.sourceRanges: IPv6 range 2001:db8::/32 on an IPv4 load balancer: "
            "LBC fails the Service; set ipAddressType: dualstack",
        ),
        (
            "alb",
            'sourceRanges: ["2001:db8::/32"]',
            "eksnet.yaml:8: apps[0].expose.sourceRanges: IPv6 range 2001:db8::/32 on an IPv4 load balancer: "
            "LBC drops them; set ipAddressType: dualstack",
        ),
        (
            "alb",
            "securityGroups: [sg-0123456789abcdef0]\nsourceRanges: [10.0.0.0/8]",
            "eksnet.yaml:9: apps[0].expose.sourceRanges: sourceRanges has no effect with securityGroups",
        ),
        (
            "nlb",
            "manageBackendSecurityGroupRules: true",
            "eksnet.yaml:8: apps[0].expose.manageBackendSecurityGroupRules: "
            "manageBackendSecurityGroupRules applies "
            "only with securityGroups",
        ),
        (
            "alb",
            "sslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06",
            "eksnet.yaml:8: apps[0].expose.sslPolicy: sslPolicy applies to TLS listeners, and there is "
            "none: set "
            "https: true or certificateArns",
        ),
        (
            "nlb",
            "https: true\nalpnPolicy: HTTP2Only",
            "eksnet.yaml:9: apps[0].expose.alpnPolicy: alpnPolicy applies to TLS listeners",
        ),
        (
            "nlb",
            "healthCheck: {successCodes: '200'}",
            "eksnet.yaml:8: apps[0].expose.healthCheck.successCodes: an NLB matches success codes only "
            "for HTTP or "
            "HTTPS health checks",
        ),
        (
            "nlb",
            "healthCheck: {protocol: HTTP, successCodes: '600'}",
            "success codes '600' must lie within 200-599",
        ),
        ("alb", "healthCheck: {successCodes: '100'}", "success codes '100' must lie within 200-499"),
        (
            "alb",
            "backendProtocolVersion: GRPC\nhealthCheck: {successCodes: '200'}",
            "success codes '200' must lie within 0-99 for this target group: it is rejected (gRPC codes)",
        ),
        (
            "alb",
            "healthCheck: {intervalSeconds: 5}",
            "eksnet.yaml:8: apps[0].expose.healthCheck.intervalSeconds: the health check timeout (5s) "
            "must be "
            "shorter than its interval (5s)",
        ),
        (
            "alb",
            "targetType: instance",
            "eksnet.yaml:8: apps[0].expose.targetType: instance targets route to node ports",
        ),
        (
            "alb",
            "targetType: instance\nserviceType: NodePort\ntargetGroupAttributes: {stickiness: {}}",
            "apps[0].expose.targetGroupAttributes.stickiness: ALB sticky sessions need targetType: ip",
        ),
        ("alb", "groupOrder: 3", "apps[0].expose.groupOrder: groupOrder orders rules within an IngressGroup"),
        (
            "alb",
            f"wafv2AclArn: {WAF}\nwafv2AclName: web",
            "apps[0].expose.wafv2AclArn: set wafv2AclArn or wafv2AclName, not both: LBC uses the name",
        ),
        (
            "alb",
            f"wafv2AclArn: {WAF.replace('eu-west-1', 'us-east-1')}",
            "apps[0].expose.wafv2AclArn: the web ACL is in region us-east-1, not the cluster's region "
            "eu-west-1",
        ),
        (
            "alb",
            f"wafv2AclArn: {WAF.replace('arn:aws:', 'arn:aws-cn:')}",
            "the web ACL is in partition aws-cn, but region eu-west-1 is in aws",
        ),
    ],
)
def test_settings_lbc_or_elb_would_refuse_or_ignore_are_errors(
    kind: str, settings: str, expected: str
) -> None:
    assert any(expected in problem for problem in problems(kind, settings)), problems(kind, settings)


def test_a_setting_needing_a_newer_controller_names_both_releases() -> None:
    # GIVEN a WAFv2 web ACL by name (read from LBC v2.14.0 on) and the controller pinned at v2.13.3
    assert problems("alb", "wafv2AclName: web", "v2.13.3") == [
        "eksnet.yaml:8: apps[0].expose.wafv2AclName: needs AWS Load Balancer Controller v2.14.0 or newer, "
        "which first reads alb.ingress.kubernetes.io/wafv2-acl-name; loadBalancerController.version is "
        "v2.13.3"
    ]
    # THEN from v2.14.0 on it is accepted
    assert parse_profile(profile_text("alb", "wafv2AclName: web", "v2.14.0"), "eksnet.yaml")


@pytest.mark.parametrize(
    ("kind", "annotations", "warning"),
    [
        (
            "alb",
            {A + "subnets": "subnet-1"},
            "apps[0].expose.annotations.alb.ingress.kubernetes.io/subnets: "
            "alb.ingress.kubernetes.io/subnets is set by "
            "expose.subnets: use the typed field",
        ),
        (
            "nlb",
            {S + "healthcheck-interval": "20"},
            "is set by expose.healthCheck.intervalSeconds: use the typed field",
        ),
        ("nlb", {S + "internal": "true"}, "aws-load-balancer-internal is set by expose.scheme"),
        (
            "alb",
            {A + "load-balancer-attributes": "idle_timeout.timeout_seconds=60,routing.http2.enabled=true"},
            "has typed fields for idle_timeout.timeout_seconds -> expose.loadBalancerAttributes."
            "idleTimeoutSeconds, routing.http2.enabled -> expose.loadBalancerAttributes.http2: use them",
        ),
        (
            "nlb",
            {S + "target-group-attributes": "proxy_protocol_v2.enabled=true"},
            "proxy_protocol_v2.enabled -> expose.targetGroupAttributes.proxyProtocolV2",
        ),
    ],
)
def test_documented_annotations_with_a_typed_field_are_warnings(
    kind: str, annotations: dict, warning: str
) -> None:
    text = profile_text(kind, "annotations: " + yaml.safe_dump(annotations, default_flow_style=True).strip())
    loaded = parse_profile(text, "eksnet.yaml")
    found = [f"{loaded.source.locate(w.path)}: {w.message}" for w in loaded.profile.warnings()]
    assert len(found) == 1 and warning in found[0], found
    assert found[0].startswith("eksnet.yaml:8: ")


def test_raw_annotations_without_a_typed_field_are_not_reported() -> None:
    text = profile_text("alb", "annotations: {" + A + "auth-type: cognito, example.com/team: web}")
    assert parse_profile(text, "eksnet.yaml").profile.warnings() == []


@pytest.mark.parametrize(
    ("kind", "settings", "expected"),
    [
        (
            "alb",
            "subnets: [subnet-0123456789abcdef0]\nannotations: {" + A + "subnets: subnet-1}",
            "apps[0].expose.annotations.alb.ingress.kubernetes.io/subnets: "
            "alb.ingress.kubernetes.io/subnets is set "
            "both here and by expose.subnets: the raw value would win; remove it and keep the typed field",
        ),
        (
            "nlb",
            "crossZone: true\nannotations: {" + S + "attributes: deletion_protection.enabled=true}",
            "is set both here and by expose.crossZone: the raw value would win (a raw key=value map "
            "replaces every "
            "typed attribute)",
        ),
        (
            "nlb",
            "sourceRanges: [10.0.0.0/8]\nannotations: "
            "{service.beta.kubernetes.io/load-balancer-source-ranges: x}",
            "is set both here and by expose.sourceRanges",
        ),
    ],
)
def test_a_setting_both_typed_and_raw_is_an_error_naming_both(
    kind: str, settings: str, expected: str
) -> None:
    assert any(expected in problem for problem in problems(kind, settings)), problems(kind, settings)


def test_a_default_is_not_a_conflict_with_the_raw_annotation() -> None:
    # GIVEN the NLB's attributes set raw, crossZone left at its default THEN it loads (with a warning only)
    text = profile_text("nlb", "annotations: {" + S + "attributes: load_balancing.cross_zone.enabled=true}")
    assert [w.message for w in parse_profile(text, "eksnet.yaml").profile.warnings()] == [
        f"{S}attributes has typed fields for load_balancing.cross_zone.enabled -> expose.crossZone: use them"
    ]
