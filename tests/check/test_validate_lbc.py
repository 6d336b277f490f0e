"""AWS Load Balancer Controller v3.5.0 CRDs: TargetGroupConfiguration, LoadBalancerConfiguration, ..."""

from __future__ import annotations

import pytest

VALID = """
apiVersion: gateway.k8s.aws/v1
kind: TargetGroupConfiguration
metadata: {name: web, namespace: apps}
spec:
  targetReference: {name: web}
  defaultConfiguration:
    targetType: ip
    protocolVersion: HTTP2
    healthCheckConfig: {healthCheckPath: /healthz, healthCheckInterval: 15, matcher: {httpCode: "200-299"}}
    targetGroupAttributes:
    - {key: deregistration_delay.timeout_seconds, value: "30"}
---
apiVersion: gateway.k8s.aws/v1
kind: LoadBalancerConfiguration
metadata: {name: web, namespace: apps}
spec:
  scheme: internet-facing
  ipAddressType: dualstack
  listenerConfigurations:
  - protocolPort: HTTPS:443
    defaultCertificate: arn:aws:acm:ap-northeast-2:111122223333:certificate/abc
    mutualAuthentication:
      mode: verify
      trustStore: arn:aws:elasticloadbalancing:ap-northeast-2:1:truststore/t/1
  loadBalancerAttributes:
  - {key: idle_timeout.timeout_seconds, value: "120"}
  tags: {team: web}
---
apiVersion: elbv2.k8s.aws/v1beta1
kind: TargetGroupBinding
metadata: {name: web, namespace: apps}
spec:
  serviceRef: {name: web, port: http}
  targetGroupARN: arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/web/0123456789abcdef
---
apiVersion: elbv2.k8s.aws/v1beta1
kind: TargetGroupBinding
metadata: {name: web-numeric-port, namespace: apps}
spec:
  serviceRef: {name: web, port: 80}
  targetGroupARN: arn:aws:elasticloadbalancing:ap-northeast-2:111122223333:targetgroup/web/0123456789abcdef
"""


def test_valid_lbc_objects_pass(validate_yaml):
    # GIVEN TGC, LoadBalancerConfiguration and TargetGroupBindings (int and named port) per the v3.5.0 docs
    # WHEN validated THEN nothing is reported
    assert validate_yaml(VALID) == []


TGC = """
apiVersion: gateway.k8s.aws/v1
kind: TargetGroupConfiguration
metadata: {{name: web, namespace: apps}}
spec:
{spec}
"""
LB_CONFIG = TGC.replace("TargetGroupConfiguration", "LoadBalancerConfiguration")
TGB = """
apiVersion: elbv2.k8s.aws/v1beta1
kind: TargetGroupBinding
metadata: {{name: web, namespace: apps}}
spec:
  targetGroupARN: arn:aws:elasticloadbalancing:ap-northeast-2:1:targetgroup/web/1
{spec}
"""

REJECTED = [
    pytest.param(
        TGC.format(spec="  defaultConfiguration: {targetType: pod}"),
        "schema",
        "spec.defaultConfiguration.targetType",
        'Unsupported value: "pod": supported values: "instance", "ip"',
        id="tgc-target-type-enum",
    ),
    pytest.param(
        TGC.format(spec="  defaultConfiguration: {healthCheckConfig: {healthCheckInterval: 15s}}"),
        "schema",
        "spec.defaultConfiguration.healthCheckConfig.healthCheckInterval",
        'Invalid value: "15s": must be of type integer, not string',
        id="tgc-wrong-type",
    ),
    pytest.param(
        TGC.format(spec="  targetReference: {name: web, port: 80}"),
        "unknown-field",
        "spec.targetReference.port",
        'unknown field "spec.targetReference.port"',
        id="tgc-unknown-field",
    ),
    pytest.param(
        TGC.format(spec="  targetReference: {kind: Service}"),
        "schema",
        "spec.targetReference.name",
        "Required value",
        id="tgc-required-field",
    ),
    pytest.param(
        LB_CONFIG.format(spec="  scheme: public"),
        "schema",
        "spec.scheme",
        'Unsupported value: "public": supported values: "internal", "internet-facing"',
        id="lb-config-scheme-enum",
    ),
    pytest.param(
        LB_CONFIG.format(spec="  listenerConfigurations: [{protocolPort: 'HTTPS:70000'}]"),
        "schema",
        "spec.listenerConfigurations[0].protocolPort",
        'Invalid value: "HTTPS:70000": should match',
        id="lb-config-protocol-port-pattern",
    ),
    pytest.param(
        LB_CONFIG.format(
            spec="  listenerConfigurations:\n"
            "  - {protocolPort: 'HTTPS:443', mutualAuthentication: {mode: verify}}"
        ),
        "cel",
        "spec.listenerConfigurations[0].mutualAuthentication",
        "trustStore is required when mutualAuthentication mode is 'verify'",
        id="lb-config-mtls-verify-needs-trust-store",
    ),
    pytest.param(
        TGB.format(spec="  serviceRef: {name: web, port: true}"),
        "schema",
        "spec.serviceRef.port",
        "Invalid value: true: must be of type integer or string, not boolean",
        id="int-or-string-rejects-boolean",
    ),
]


@pytest.mark.parametrize(("text", "rule", "path", "message"), REJECTED)
def test_lbc_crds_reject(validate_yaml, text, rule, path, message):
    # GIVEN an LBC object breaking its CRD
    findings = validate_yaml(text)
    # THEN the finding names the field and says what is wrong
    assert [(f.rule, f.path) for f in findings] == [(rule, path)], [f.to_text() for f in findings]
    assert findings[0].message.startswith(message)
    assert findings[0].kind in ("TargetGroupConfiguration", "LoadBalancerConfiguration", "TargetGroupBinding")


def test_deprecated_version_is_a_warning(validate_yaml):
    # GIVEN a TargetGroupConfiguration in v1beta1, which v3.5.0 still serves but marks deprecated
    text = TGC.format(spec="  targetReference: {name: web}").replace(
        "gateway.k8s.aws/v1", "gateway.k8s.aws/v1beta1"
    )
    # WHEN validated
    findings = validate_yaml(text)
    # THEN the only finding is a deprecation warning
    assert [(f.rule, f.severity.value) for f in findings] == [("deprecated-api", "warning")]
