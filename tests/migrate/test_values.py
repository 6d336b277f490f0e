"""Annotation values read as LBC's parser reads them."""

from __future__ import annotations

import pytest

from eksnet_manifests.migrate.values import BadValue, parse
from eksnet_manifests.versions.lbc_annotations import BOOLEAN, INTEGER, JSON, LIST, MAP, STRING


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (LIST, " subnet-a, ,subnet-b ", ("subnet-a", "subnet-b")),
        (MAP, "team=shop, env = prod", {"team": "shop", "env": "prod"}),
        (MAP, "key=a=b", {"key": "a=b"}),
        (BOOLEAN, "True", True),
        (BOOLEAN, "0", False),
        (INTEGER, "-5", -5),
        (JSON, '[{"HTTP": 80}]', [{"HTTP": 80}]),
        (STRING, " as is ", " as is "),
    ],
    ids=["list", "map", "map-equals-in-value", "bool-true", "bool-zero", "integer", "json", "string"],
)
def test_values_parse_as_lbc_parses_them(kind: str, value: str, expected: object) -> None:
    assert parse(kind, value) == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [(MAP, "team"), (BOOLEAN, "yes"), (INTEGER, "1.5"), (JSON, "{")],
    ids=["map", "bool", "int", "json"],
)
def test_values_lbc_cannot_parse_are_refused(kind: str, value: str) -> None:
    with pytest.raises(BadValue):
        parse(kind, value)
