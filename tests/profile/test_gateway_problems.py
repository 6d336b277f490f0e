"""Gateways and the apps on them: what only the profile can tell is refused at its line, with the reason."""

from __future__ import annotations

import pytest

from eksnet_manifests.errors import SpecError
from eksnet_manifests.profile.load import parse_profile

BASE = """\
cluster: {name: gw, region: us-east-1, vpcId: vpc-0123456789abcdef0}
nodeGroups: [{name: ng, instanceType: m5.large, desiredSize: 2}]
loadBalancerController: {version: v3.5.0}
gatewayApi:
  version: v1.6.1
  channel: experimental
  gateways:
    - name: public
      type: alb
      redirectHttpToHttps: true
      listeners:
        - {name: http, protocol: HTTP, port: 80}
        - {name: https, protocol: HTTPS, port: 443}
      loadBalancer: {idleTimeout: 60}
    - name: edge
      type: nlb
      listeners:
        - {name: tcp, protocol: TCP, port: 53}
        - {name: udp, protocol: UDP, port: 53}
apps:
  - name: web
    expose: {type: gateway, gateway: public, sectionName: https, rules: [{matches: [{path: {value: /}}]}]}
  - name: dns
    expose: {type: gateway, gateway: edge, sectionName: udp}
"""


def problems_of(text: str) -> list[str]:
    try:
        parse_profile(text, "eksnet.yaml")
    except SpecError as error:
        return [str(problem) for problem in error.problems()]
    return []


def test_base_profile_is_clean() -> None:
    assert problems_of(BASE) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "gateway: public, sectionName: https, rules",
            "gateway: private, sectionName: https, rules",
            "eksnet.yaml:22: apps[0].expose.gateway: no Gateway 'private' in gatewayApi.gateways (public, "
            "edge)",
        ),
        (
            "sectionName: udp}",
            "sectionName: dns}",
            "eksnet.yaml:24: apps[1].expose.sectionName: Gateway 'edge' has no listener 'dns' (listeners: "
            "tcp, udp)",
        ),
        (
            "sectionName: udp}",
            "sectionName: udp, kind: TCPRoute}",
            "eksnet.yaml:24: apps[1].expose.kind: listener 'udp' (UDP) takes UDPRoute, not TCPRoute: the "
            "route "
            "would never attach (NotAllowedByListeners)",
        ),
        (
            "gateway: public, sectionName: https",
            "gateway: public, sectionName: http",
            "eksnet.yaml:22: apps[0].expose.sectionName: Gateway 'public' redirects every request on "
            "listener "
            "'http' to HTTPS (redirectHttpToHttps): attach the app to an HTTPS listener",
        ),
        (
            "        - {name: https, protocol: HTTPS, port: 443}\n",
            "",
            "eksnet.yaml:10: gatewayApi.gateways[0].redirectHttpToHttps: redirectHttpToHttps needs an ALB "
            "Gateway "
            "with an HTTP and an HTTPS listener",
        ),
        (
            "{name: tcp, protocol: TCP, port: 53}",
            "{name: tcp, protocol: HTTP, port: 53}",
            "eksnet.yaml:18: gatewayApi.gateways[1].listeners[0].protocol: an NLB Gateway serves TCP/UDP/TLS "
            "listeners, not HTTP",
        ),
        (
            "loadBalancer: {idleTimeout: 60}",
            "loadBalancer: {idleTimeout: 60, crossZone: true}",
            "eksnet.yaml:14: gatewayApi.gateways[0].loadBalancer.crossZone: crossZone applies to NLB "
            "Gateways only; "
            "LBC ignores it on an ALB",
        ),
        (
            "{name: tcp, protocol: TCP, port: 53}",
            "{name: tcp, protocol: TCP, port: 53, attributes: {tcp.idle_timeout.seconds: '60'}}",
            None,
        ),
        (
            "{name: udp, protocol: UDP, port: 53}",
            "{name: udp, protocol: UDP, port: 53, sslPolicy: ELBSecurityPolicy-2016-08}",
            "eksnet.yaml:19: gatewayApi.gateways[1].listeners[1].sslPolicy: sslPolicy applies to HTTPS and "
            "terminating TLS listeners; LBC ignores it on UDP",
        ),
        (
            "rules: [{matches: [{path: {value: /}}]}]",
            "kind: GRPCRoute, rules: [{matches: [{path: {value: /}}]}]",
            "eksnet.yaml:22: apps[0].expose.rules[0].matches[0].path: path matches HTTP requests; a "
            "GRPCRoute "
            "matches method and headers",
        ),
        (
            "rules: [{matches: [{path: {value: /}}]}]",
            "rules: [{backends: [{app: api}]}]",
            "eksnet.yaml:22: apps[0].expose.rules[0].backends[0].app: no app 'api' in the profile: backends "
            "name apps",
        ),
        (
            "sectionName: udp}",
            "sectionName: udp, rules: [{matches: [{path: {value: /}}]}]}",
            "eksnet.yaml:24: apps[1].expose.rules[0].matches: UDPRoute rules take backends only, not matches",
        ),
        (
            "      type: nlb\n",
            "      type: nlb\n      gatewayClassName: aws-alb\n",
            "eksnet.yaml:17: gatewayApi.gateways[1].gatewayClassName: GatewayClass 'aws-alb' is the shared "
            "Gateway's: its LoadBalancerConfiguration would take precedence over this Gateway's own (LBC "
            "mergingMode prefer-gateway-class); use another class",
        ),
        (
            "loadBalancerController: {version: v3.5.0}",
            "loadBalancerController: {version: v2.14.1}",
            "eksnet.yaml:18: gatewayApi.gateways[1].listeners[0].attributes: listener settings of the "
            "TCP_UDP port "
            "53 need AWS Load Balancer Controller v2.17.0 or newer",
        ),
    ],
    ids=[
        "unknown-gateway",
        "unknown-listener",
        "kind-not-of-the-listener",
        "app-on-the-redirecting-listener",
        "redirect-without-https",
        "l7-listener-on-nlb",
        "nlb-setting-on-alb",
        "tcp-udp-settings-once-are-fine",
        "tls-setting-on-udp",
        "http-match-on-grpc",
        "backend-not-an-app",
        "l4-rule-with-matches",
        "shared-class-reused",
        "tcp-udp-settings-need-v2.17",
    ],
)
def test_gateway_problem_is_reported_at_its_line(old: str, new: str, expected: str | None) -> None:
    # GIVEN the clean profile with one change
    assert old in BASE
    text = BASE.replace(old, new)
    if "v2.14.1" in new:  # the TCP_UDP case needs listener settings on the merged port
        text = text.replace(
            "{name: tcp, protocol: TCP, port: 53}",
            "{name: tcp, protocol: TCP, port: 53, attributes: {a.b: c}}",
        )
    # WHEN it is loaded THEN the one problem is reported at its line and field, with the reason
    problems = problems_of(text)
    if expected is None:
        assert problems == []
    else:
        assert [problem for problem in problems if problem.startswith(expected)] != [], problems


def test_listener_settings_on_both_halves_of_a_tcp_udp_port_are_refused() -> None:
    text = BASE.replace("port: 53}", "port: 53, attributes: {tcp.idle_timeout.seconds: '60'}}")
    assert problems_of(text) == [
        "eksnet.yaml:19: gatewayApi.gateways[1].listeners[1].attributes: the TCP and UDP listeners on port "
        "53 "
        "become one TCP_UDP listener, which takes one set of listener settings: set them on one of the two"
    ]


@pytest.mark.parametrize(
    ("pins", "expected"),
    [
        (("v3.1.0", "v1.6.1"), "ListenerSets need AWS Load Balancer Controller v3.2.0 or newer"),
        (("v3.5.0", "v1.3.0"), "ListenerSets need Gateway API v1.5.0 or newer: v1.3.0 (experimental)"),
    ],
)
def test_listener_sets_need_releases_that_serve_them(pins: tuple[str, str], expected: str) -> None:
    lbc, gateway_api = pins
    text = BASE.replace("v3.5.0", lbc).replace("version: v1.6.1", f"version: {gateway_api}")
    text = text.replace(
        "      loadBalancer: {idleTimeout: 60}\n",
        "      loadBalancer: {idleTimeout: 60}\n      allowedListeners: Same\n"
        "      listenerSets: [{name: extra, listeners: [{name: x, protocol: HTTP, port: 8080}]}]\n",
    )
    assert [problem for problem in problems_of(text) if expected in problem] != []


def test_listener_set_outside_the_allowed_namespaces_is_refused() -> None:
    text = BASE.replace(
        "      loadBalancer: {idleTimeout: 60}\n",
        "      loadBalancer: {idleTimeout: 60}\n      allowedListeners: Same\n"
        "      listenerSets: [{name: extra, namespace: team, listeners: [{name: x, protocol: HTTP, port: "
        "8080}]}]\n",
    )
    assert problems_of(text) == [
        "eksnet.yaml:16: gatewayApi.gateways[0].listenerSets[0].namespace: the Gateway's allowedListeners "
        "(Same) "
        "does not admit ListenerSets from 'team': Accepted=False (NotAllowed); set the Gateway's "
        "allowedListeners"
    ]
