"""Findings point at the line of the offending field, not the start of its document."""

from __future__ import annotations

import pytest

from eksnet_manifests.check.documents import parse_documents
from eksnet_manifests.check.positions import path_parts

TEXT = """\
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    a.example.com/key: "1"
spec:
  ports:
  - port: 80
  - port: 443
    name: https
---
# second document
apiVersion: v1
kind: Service
metadata: {name: other}
spec: {ports: [{port: 81}]}
"""


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("spec.rules[0].host", ["spec", "rules", 0, "host"]),
        ('metadata.annotations["a.b/c"]', ["metadata", "annotations", "a.b/c"]),
        ("spec.selector[app.kubernetes.io/name]", ["spec", "selector", "app.kubernetes.io/name"]),
    ],
    ids=["indexes", "quoted-key", "bracketed-key"],
)
def test_path_parts(path: str, parts: list) -> None:
    assert path_parts(path) == parts


@pytest.mark.parametrize(
    ("document", "path", "line"),
    [
        (0, "spec.ports[1].name", 11),
        (0, 'metadata.annotations["a.example.com/key"]', 6),
        (0, "spec.ports[1].targetPort", 10),
        (0, "", 1),
        (1, "spec.ports[0].port", 17),
        (1, "metadata.name", 16),
    ],
    ids=[
        "nested-item",
        "annotation",
        "missing-leaf-gives-parent",
        "no-path",
        "flow-style",
        "second-document",
    ],
)
def test_line_of_a_field(document: int, path: str, line: int) -> None:
    # GIVEN a two-document stream / WHEN a field's line is asked / THEN the field's (or deepest parent's) line
    assert parse_documents(TEXT, "x.yaml")[document].line_of(path) == line
