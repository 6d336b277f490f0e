"""Typed load balancer settings become exactly the annotations LBC parses (NLB Services, ALB Ingresses)."""

from __future__ import annotations

from typing import Any

import pytest

from eksnet_manifests.synth.expose import expose
from eksnet_manifests.synth.expose.lb_annotations import encode
from eksnet_manifests.versions import lbc_annotations as catalogue

NLB = "service.beta.kubernetes.io/aws-load-balancer-"
ALB = "alb.ingress.kubernetes.io/"
CERT = "arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-0000-1111-2222-333344445555"
WAF = "arn:aws:wafv2:ap-northeast-2:111122223333:regional/webacl/web/3ab78708-85b0-49d3-b4e1-7a9615a6613b"
SUBNETS = ["subnet-0123456789abcdef0", "public-b"]


def nlb_service(build_app, **settings: Any) -> dict:
    app, ctx = build_app({"name": "api", "expose": {"type": "nlb", **settings}})
    (service,) = expose(app, ctx)
    return service


def alb_ingress(build_app, **settings: Any) -> dict:
    app, ctx = build_app({"name": "web", "expose": {"type": "alb", **settings}})
    return next(obj for obj in expose(app, ctx) if obj["kind"] == "Ingress")


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"subnets": SUBNETS}, {NLB + "subnets": "subnet-0123456789abcdef0,public-b"}),
        (
            {"securityGroups": ["sg-0123456789abcdef0", "web"], "manageBackendSecurityGroupRules": True},
            {
                NLB + "security-groups": "sg-0123456789abcdef0,web",
                NLB + "manage-backend-security-group-rules": "true",
            },
        ),
        (
            {"securityGroupPrefixLists": ["pl-0123456789abcdef0"]},
            {NLB + "security-group-prefix-lists": "pl-0123456789abcdef0"},
        ),
        ({"ipAddressType": "dualstack"}, {NLB + "ip-address-type": "dualstack"}),
        ({"loadBalancerName": "api-public"}, {NLB + "name": "api-public"}),
        ({"tags": {"Team": "api", "Env": "prod"}}, {NLB + "additional-resource-tags": "Env=prod,Team=api"}),
        (
            {
                "certificateArns": [CERT],
                "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                "alpnPolicy": "HTTP2Preferred",
            },
            {
                NLB + "ssl-cert": CERT,
                NLB + "ssl-ports": "80",
                NLB + "ssl-negotiation-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                NLB + "alpn-policy": "HTTP2Preferred",
            },
        ),
        (
            {"crossZone": True, "accessLogs": {"bucket": "logs", "prefix": "api"}},
            {
                NLB + "attributes": "access_logs.s3.bucket=logs,access_logs.s3.enabled=true,"
                "access_logs.s3.prefix=api,load_balancing.cross_zone.enabled=true"
            },
        ),
        (
            {
                "loadBalancerAttributes": {
                    "deletionProtection": True,
                    "dnsClientRoutingPolicy": "any_availability_zone",
                }
            },
            {
                NLB + "attributes": "deletion_protection.enabled=true,"
                "dns_record.client_routing_policy=any_availability_zone,load_balancing.cross_zone.enabled=false"
            },
        ),
        (
            {
                "targetGroupAttributes": {
                    "deregistrationDelaySeconds": 30,
                    "connectionTermination": True,
                    "preserveClientIp": False,
                    "proxyProtocolV2": True,
                    "stickiness": {},
                    "unhealthyConnectionTermination": False,
                    "unhealthyDrainingIntervalSeconds": 60,
                }
            },
            {
                NLB + "target-group-attributes": "deregistration_delay.connection_termination.enabled=true,"
                "deregistration_delay.timeout_seconds=30,preserve_client_ip.enabled=false,"
                "proxy_protocol_v2.enabled=true,stickiness.enabled=true,stickiness.type=source_ip,"
                "target_health_state.unhealthy.connection_termination.enabled=false,"
                "target_health_state.unhealthy.draining_interval_seconds=60"
            },
        ),
        (
            {
                "healthCheck": {
                    "protocol": "HTTP",
                    "intervalSeconds": 10,
                    "timeoutSeconds": 6,
                    "healthyThreshold": 3,
                    "unhealthyThreshold": 2,
                    "successCodes": "200-399",
                }
            },
            {
                NLB + "healthcheck-protocol": "http",
                NLB + "healthcheck-interval": "10",
                NLB + "healthcheck-timeout": "6",
                NLB + "healthcheck-healthy-threshold": "3",
                NLB + "healthcheck-unhealthy-threshold": "2",
                NLB + "healthcheck-success-codes": "200-399",
            },
        ),
    ],
    ids=[
        "subnets",
        "security-groups",
        "prefix-lists",
        "ip-address-type",
        "name",
        "tags",
        "tls-policies",
        "access-logs-and-cross-zone",
        "attributes",
        "target-group-attributes",
        "health-check",
    ],
)
def test_nlb_settings_write_their_service_annotations(build_app, settings: dict, expected: dict) -> None:
    annotations = nlb_service(build_app, **settings)["metadata"]["annotations"]
    assert {key: annotations.get(key) for key in expected} == expected


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"subnets": SUBNETS}, {ALB + "subnets": "subnet-0123456789abcdef0,public-b"}),
        (
            {"securityGroups": ["sg-0123456789abcdef0"], "manageBackendSecurityGroupRules": False},
            {
                ALB + "security-groups": "sg-0123456789abcdef0",
                ALB + "manage-backend-security-group-rules": "false",
            },
        ),
        (
            {"sourceRanges": ["10.0.0.0/8", "192.168.0.0/16"]},
            {ALB + "inbound-cidrs": "10.0.0.0/8,192.168.0.0/16"},
        ),
        (
            {"ipAddressType": "dualstack-without-public-ipv4"},
            {ALB + "ip-address-type": "dualstack-without-public-ipv4"},
        ),
        ({"groupName": "shop", "groupOrder": -10}, {ALB + "group.name": "shop", ALB + "group.order": "-10"}),
        (
            {"https": True, "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"},
            {ALB + "ssl-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"},
        ),
        (
            {"wafv2AclArn": WAF, "shieldAdvancedProtection": True},
            {ALB + "wafv2-acl-arn": WAF, ALB + "shield-advanced-protection": "true"},
        ),
        ({"wafv2AclName": "none"}, {ALB + "wafv2-acl-name": "none"}),
        (
            {
                "backendProtocol": "HTTPS",
                "backendProtocolVersion": "GRPC",
                "healthCheck": {"successCodes": "0-5"},
            },
            {
                ALB + "backend-protocol": "HTTPS",
                ALB + "backend-protocol-version": "GRPC",
                ALB + "success-codes": "0-5",
            },
        ),
        (
            {
                "accessLogs": {"bucket": "logs"},
                "loadBalancerAttributes": {
                    "deletionProtection": True,
                    "idleTimeoutSeconds": 120,
                    "clientKeepAliveSeconds": 3600,
                    "http2": False,
                    "dropInvalidHeaderFields": True,
                },
            },
            {
                ALB + "load-balancer-attributes": "access_logs.s3.bucket=logs,access_logs.s3.enabled=true,"
                "client_keep_alive.seconds=3600,deletion_protection.enabled=true,idle_timeout.timeout_seconds=120,"
                "routing.http.drop_invalid_header_fields.enabled=true,routing.http2.enabled=false"
            },
        ),
        (
            {"accessLogs": {"enabled": False}},
            {ALB + "load-balancer-attributes": "access_logs.s3.enabled=false"},
        ),
        (
            {
                "targetGroupAttributes": {
                    "deregistrationDelaySeconds": 0,
                    "slowStartSeconds": 30,
                    "loadBalancingAlgorithm": "weighted_random",
                    "anomalyMitigation": "on",
                    "stickiness": {
                        "type": "app_cookie",
                        "appCookieName": "SESSION",
                        "appCookieDurationSeconds": 600,
                    },
                }
            },
            {
                ALB + "target-group-attributes": "deregistration_delay.timeout_seconds=0,"
                "load_balancing.algorithm.anomaly_mitigation=on,load_balancing.algorithm.type=weighted_random,"
                "slow_start.duration_seconds=30,stickiness.app_cookie.cookie_name=SESSION,"
                "stickiness.app_cookie.duration_seconds=600,stickiness.enabled=true,stickiness.type=app_cookie"
            },
        ),
        (
            {
                "healthCheck": {
                    "intervalSeconds": 10,
                    "timeoutSeconds": 4,
                    "healthyThreshold": 5,
                    "unhealthyThreshold": 3,
                }
            },
            {
                ALB + "healthcheck-interval-seconds": "10",
                ALB + "healthcheck-timeout-seconds": "4",
                ALB + "healthy-threshold-count": "5",
                ALB + "unhealthy-threshold-count": "3",
            },
        ),
        ({"tags": {"Team": "web"}}, {ALB + "tags": "Team=web"}),
        ({"loadBalancerName": "web"}, {ALB + "load-balancer-name": "web"}),
        ({"targetType": "instance", "serviceType": "NodePort"}, {ALB + "target-type": "instance"}),
    ],
    ids=[
        "subnets",
        "security-groups",
        "source-ranges",
        "ip-address-type",
        "group-order",
        "ssl-policy",
        "waf-shield",
        "waf-by-name",
        "backend-protocol",
        "attributes",
        "access-logs-off",
        "target-group-attributes",
        "health-check",
        "tags",
        "name",
        "instance-targets",
    ],
)
def test_alb_settings_write_their_ingress_annotations(build_app, settings: dict, expected: dict) -> None:
    annotations = alb_ingress(build_app, **settings)["metadata"]["annotations"]
    assert {key: annotations.get(key) for key in expected} == expected


def test_nlb_source_ranges_go_to_the_service_spec_which_lbc_reads_first(build_app) -> None:
    service = nlb_service(build_app, sourceRanges=["10.0.0.0/8"])
    assert service["spec"]["loadBalancerSourceRanges"] == ["10.0.0.0/8"]
    assert catalogue.SOURCE_RANGES not in service["metadata"]["annotations"]


def test_nlb_instance_targets_keep_their_node_ports(build_app) -> None:
    service = nlb_service(build_app, targetType="instance")
    assert service["metadata"]["annotations"][NLB + "nlb-target-type"] == "instance"
    assert "allocateLoadBalancerNodePorts" not in service["spec"]


def test_unset_settings_write_nothing_new(build_app) -> None:
    # GIVEN exposures without any of the new keys THEN only the annotations eksnet always wrote appear
    assert set(nlb_service(build_app)["metadata"]["annotations"]) == {
        NLB + "nlb-target-type", NLB + "scheme", NLB + "attributes",
    }  # fmt: skip
    assert set(alb_ingress(build_app)["metadata"]["annotations"]) == {
        ALB + "scheme", ALB + "target-type", ALB + "listen-ports",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("value", "written"),
    [(True, "true"), (False, "false"), (0, "0"), (("a", "b"), "a,b"), ({"b": 1, "a": True}, "a=true,b=1")],
)
def test_values_take_the_syntax_lbc_parses(value: Any, written: str) -> None:
    assert encode(value) == written


FULL_NLB = {
    "subnets": SUBNETS, "securityGroups": ["sg-0123456789abcdef0"], "manageBackendSecurityGroupRules": True,
    "sourceRanges": ["10.0.0.0/8"], "securityGroupPrefixLists": ["pl-0123456789abcdef0"],
    "ipAddressType": "ipv4",
    "loadBalancerName": "api", "certificateArns": [CERT], "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "alpnPolicy": "None", "tags": {"a": "b"}, "accessLogs": {"bucket": "logs"},
    "loadBalancerAttributes": {"deletionProtection": True},
    "targetGroupAttributes": {"proxyProtocolV2": True},
    "healthCheck": {
        "protocol": "HTTP", "port": 8080, "path": "/", "intervalSeconds": 10, "timeoutSeconds": 5,
        "healthyThreshold": 2, "unhealthyThreshold": 2, "successCodes": "200",
    },
}  # fmt: skip
FULL_ALB = {
    **{key: value for key, value in FULL_NLB.items() if key not in ("alpnPolicy", "targetGroupAttributes")},
    "https": True, "sslRedirect": True, "groupName": "g", "groupOrder": 1, "backendProtocol": "HTTP",
    "backendProtocolVersion": "HTTP1", "wafv2AclName": "web", "wafv2AclArn": WAF,
    "shieldAdvancedProtection": False,
    "targetGroupAttributes": {"deregistrationDelaySeconds": 5},
}  # fmt: skip


@pytest.mark.parametrize("kind", ["nlb", "alb"])
def test_every_typed_field_of_the_catalogue_is_written(build_app, kind: str) -> None:
    # GIVEN an exposure that sets every typed field the catalogue names for its family
    family = "service" if kind == "nlb" else "ingress"
    settings = FULL_NLB if kind == "nlb" else FULL_ALB
    app, ctx = build_app({"name": "x", "expose": {"type": kind, **settings}})
    objects = expose(app, ctx)
    obj = next(o for o in objects if o["kind"] == ("Service" if kind == "nlb" else "Ingress"))
    # THEN each key with a typed field (other than deprecated spellings) is written, except the two whose
    # setting goes elsewhere: NLB source ranges (the Service spec) and proxy protocol (a target group
    # attribute)
    elsewhere = {catalogue.SOURCE_RANGES, NLB + "proxy-protocol"}
    expected = {
        entry.key
        for entry in catalogue.of_family(family)
        if entry.field and entry.replaced_by is None and entry.key not in elsewhere
    }
    assert expected - set(obj["metadata"]["annotations"]) == set()
