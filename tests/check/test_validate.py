"""validate_documents / validate_paths: built-in kinds, missing schemas, metadata, CRDs found in the input."""

from __future__ import annotations

from pathlib import Path

import pytest

from eksnet_manifests.check.findings import Severity
from eksnet_manifests.check.validate import ValidateOptions, validate_paths

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web, namespace: apps, labels: {{app: web}}}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{{containerPort: 80}}]
        {extra}
"""


def test_valid_builtin_objects_pass(validate_yaml):
    text = DEPLOYMENT.format(replicas=2, extra="") + (
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: apps}\n"
        "spec: {selector: {app: web}, ports: [{port: 80, targetPort: http}]}\n"
        "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n"
        "spec: {ingressClassName: alb, defaultBackend: {service: {name: web, port: {number: 80}}}}\n"
    )
    assert validate_yaml(text) == []


@pytest.mark.parametrize(
    ("replicas", "extra", "rule", "path", "message", "line"),
    [
        (
            2,
            "imagePullPolicy2: Always",
            "unknown-field",
            "spec.template.spec.containers[0].imagePullPolicy2",
            'unknown field "spec.template.spec.containers[0].imagePullPolicy2"',
            15,
        ),
        (
            "two",
            "",
            "schema",
            "spec.replicas",
            'Invalid value: "two": must be of type integer, not string',
            6,
        ),
        (
            2,
            "resources: {limits: {cpu: [1]}}",
            "schema",
            "spec.template.spec.containers[0].resources.limits.cpu",
            "Invalid value: [1]: must be of type string or number, not array",
            15,
        ),
    ],
    ids=["unknown-field", "wrong-type", "quantity"],
)
def test_builtin_deployment_is_checked_strictly(validate_yaml, replicas, extra, rule, path, message, line):
    # GIVEN a Deployment starting on line 2 / WHEN a field is invalid / THEN the finding is at that field's
    # line
    [finding] = validate_yaml(DEPLOYMENT.format(replicas=replicas, extra=extra))
    assert (finding.rule, finding.path, finding.message) == (rule, path, message)
    assert (finding.kind, finding.namespace, finding.name, finding.line, finding.index) == (
        "Deployment",
        "apps",
        "web",
        line,
        0,
    )


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        (
            "apiVersion: v1\nkind: Service\nmetadata: {name: 1web}\n",
            "metadata.name",
            'Invalid value: "1web": a DNS-1035 label must consist of',
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Web}\n",
            "metadata.name",
            'Invalid value: "Web": a lowercase RFC 1123 subdomain',
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: x-}\n---\n"
            "apiVersion: v1\nkind: ConfigMap\n",
            "metadata.name",
            "Required value: name or generateName is required",
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {app: 'web/1'}}\n",
            "metadata.labels[app]",
            'Invalid value: "web/1": a valid label must be',
        ),
        (
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, annotations: {'-bad': x}}\n",
            "metadata.annotations[-bad]",
            'Invalid value: "-bad": name part must consist',
        ),
    ],
    ids=["service-name-dns1035", "name-subdomain", "name-required", "label-value", "annotation-key"],
)
def test_metadata_is_checked_like_the_api_server(validate_yaml, text, path, message):
    [finding] = validate_yaml(text)
    assert (finding.rule, finding.path) == ("metadata", path)
    assert finding.message.startswith(message)


SERVICE = "apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec: {{ports: {ports}}}\n"
WORKLOAD = """
apiVersion: apps/v1
kind: {kind}
metadata: {{name: web}}
spec:
  selector: {selector}
  template:
    metadata: {{labels: {{app: web, tier: front}}}}
    spec: {{containers: [{{name: web, image: nginx}}]}}
"""


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        (
            WORKLOAD.format(kind="Deployment", selector="{matchLabels: {app: api}}"),
            "spec.template.metadata.labels",
            "Invalid value: `selector` does not match template `labels`",
        ),
        (
            WORKLOAD.format(
                kind="StatefulSet",
                selector="{matchExpressions: [{key: tier, operator: NotIn, values: [front]}]}",
            ),
            "spec.template.metadata.labels",
            "Invalid value: `selector` does not match template `labels`",
        ),
        (
            WORKLOAD.format(kind="DaemonSet", selector="{}"),
            "spec.selector",
            "Invalid value: empty selector is invalid",
        ),
        (
            SERVICE.format(ports="[{port: 80, name: http}, {port: 443}]"),
            "spec.ports[1].name",
            "Required value",
        ),
        (
            SERVICE.format(ports="[{port: 80, name: web}, {port: 443, name: web}]"),
            "spec.ports[1].name",
            'Duplicate value: "web"',
        ),
    ],
    ids=[
        "selector-misses-labels",
        "expression-excludes-labels",
        "empty-selector",
        "unnamed-port",
        "duplicate-port-name",
    ],
)
def test_builtin_rules_beyond_the_schema(validate_yaml, text, path, message):
    [finding] = validate_yaml(text)
    assert (finding.rule, finding.path, finding.message) == ("validation", path, message)


@pytest.mark.parametrize(
    "selector",
    [
        "{matchLabels: {app: web}}",
        "{matchExpressions: [{key: tier, operator: In, values: [front]}, {key: x, operator: DoesNotExist}]}",
    ],
    ids=["match-labels", "match-expressions"],
)
def test_selector_that_selects_the_template_passes(validate_yaml, selector):
    assert validate_yaml(WORKLOAD.format(kind="Deployment", selector=selector)) == []


def test_kind_without_schema_is_an_error_unless_ignored(validate_yaml):
    text = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"
    [finding] = validate_yaml(text)
    assert (finding.rule, finding.severity) == ("schema-missing", Severity.ERROR)
    assert "no CRD given for it (use --crds, or --profile" in finding.message
    assert validate_yaml(text, ValidateOptions(ignore_missing_schemas=True)) == []


def test_object_without_kind_is_reported(validate_yaml):
    [finding] = validate_yaml("apiVersion: v1\nmetadata: {name: x}\n")
    assert (finding.rule, finding.message) == ("invalid-document", "kind must be set on a Kubernetes object")


def test_duplicate_keys_are_errors(validate_yaml):
    findings = validate_yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: '1', x: '2'}\n")
    assert [(f.rule, f.message) for f in findings] == [
        ("duplicate-key", 'mapping key "x" already set (line 4)')
    ]


WIDGET_CRD = """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1}
              mode: {type: string, default: fast}
            x-kubernetes-validations:
            - {rule: "self.mode != 'fast' || self.size <= 10", message: fast widgets are small}
          status:
            type: object
            properties:
              ready: {type: boolean}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_crds_in_the_input_are_schemas_for_the_rest_of_it(tmp_path):
    # GIVEN a folder with a CRD and two widgets, one breaking its CEL rule through a defaulted field
    write(tmp_path, "crd.yaml", WIDGET_CRD)
    write(
        tmp_path,
        "widgets.yaml",
        (
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: small}\nspec: {size: 3}\n---\n"
            "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: big}\nspec: {size: 30}\n"
            "status: {ready: maybe}\n"
        ),
    )
    # WHEN the folder is validated
    findings = validate_paths([tmp_path], ValidateOptions()).findings
    # THEN only the big widget's rule fails (status is dropped on create with a status subresource)
    assert [(f.name, f.rule, f.path, f.message) for f in findings] == [
        ("big", "cel", "spec", "fast widgets are small")
    ]
    assert findings[0].file == str(tmp_path / "widgets.yaml")


@pytest.mark.parametrize(
    ("strict", "severity"), [(False, Severity.WARNING), (True, Severity.ERROR)], ids=["partial", "strict"]
)
def test_validate_paths_reports_notes_and_runs_lints(tmp_path, gateway_crds, strict, severity):
    # GIVEN an HTTPRoute whose parent Gateway is not in the input
    write(
        tmp_path,
        "route.yaml",
        (
            "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: "
            "{name: r, namespace: default}\n"
            "spec: {parentRefs: [{name: missing}]}\n"
        ),
    )
    # WHEN validated against a Kubernetes version newer than any bundled one, with the Gateway API CRDs
    result = validate_paths([tmp_path], ValidateOptions(), "1.99", [str(gateway_crds)], strict=strict)
    findings, notes = result.findings, result.notes
    # THEN the stand-in version is noted, and the lints report the missing parent (an error under strict)
    assert len(notes) == 1 and "1.99" in notes[0]
    assert [(f.rule, f.severity, f.path) for f in findings] == [
        ("route-parent-missing", severity, "spec.parentRefs[0]")
    ]
