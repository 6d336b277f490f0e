"""Profile errors: every problem at once, each on its own line at file:line: field, worded for YAML users."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eksnet_manifests.errors import SpecError
from eksnet_manifests.profile.discovery import find_profile
from eksnet_manifests.profile.load import load_profile, parse_profile

GOOD = """\
cluster:
  name: myeks
  region: ap-northeast-2
  vpcId: vpc-0123456789abcdef0
nodeGroups:
  - name: primary
    instanceType: t3.medium
    desiredSize: 3
apps:
  - name: echo
    replicas: 2
    expose: {type: nlb, hosts: [echo.example.com]}
"""
PYDANTIC_WORDING = ("Input tag", "found using", "instance of", "valid tuple", "valid dictionary", "[type=")


def problems_of(text: str) -> list[str]:
    with pytest.raises(SpecError) as caught:
        parse_profile(text, "eksnet.yaml")
    return [str(problem) for problem in caught.value.problems()]


def test_every_problem_is_reported_one_line_each_in_line_order() -> None:
    # GIVEN a profile with three unrelated mistakes
    text = GOOD.replace("region: ap-northeast-2", "region: Seoul").replace("replicas: 2", "replicas: many")
    text = text.replace("desiredSize: 3", "desiredSize: 3\n    colour: blue")
    # WHEN it is loaded THEN all three are reported, in line order, none hidden behind "(and N more)"
    assert problems_of(text) == [
        "eksnet.yaml:3: cluster.region: 'Seoul' is not an AWS region like ap-northeast-2",
        "eksnet.yaml:9: nodeGroups[0].colour: unknown field 'colour'",
        "eksnet.yaml:12: apps[0].replicas: must be a whole number (YAML integer)",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "nodeGroups:",
            "nodegroups:",
            "eksnet.yaml:5: nodegroups: unknown field 'nodegroups' (did you mean 'nodeGroups'?)",
        ),
        (
            "  vpcId:",
            "  vpcID:",
            "eksnet.yaml:4: cluster.vpcID: unknown field 'vpcID' (did you mean 'vpcId'?)",
        ),
        (
            "    replicas: 2",
            "    replica: 2",
            "eksnet.yaml:11: apps[0].replica: unknown field 'replica' (did you mean 'replicas'?)",
        ),
        (
            "{type: nlb, hosts: [echo.example.com]}",
            "{type: nlb, hosts: [echo.example.com], schema: internal}",
            "eksnet.yaml:12: apps[0].expose.schema: unknown field 'schema' (did you mean 'scheme'?)",
        ),
    ],
    ids=["top-level-case", "cluster-key-case", "app-key-typo", "key-inside-union-variant"],
)
def test_unknown_key_says_did_you_mean_and_hides_the_missing_field_it_stands_for(
    old: str, new: str, expected: str
) -> None:
    assert problems_of(GOOD.replace(old, new)) == [expected]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("type: nlb", "type: elb", "apps[0].expose.type: 'elb' is not one of nlb, alb, gateway, none"),
        ("{type: nlb, hosts: [echo.example.com]}", "{hosts: [echo.example.com]}", "type is required"),
        ("  - name: echo\n", "  - echo\n  - name: echo\n", "apps[0]: must be a mapping of keys to values"),
        ("    desiredSize: 3", "    desiredSize: 3\n    labels: [a]", "must be a mapping of keys to values"),
        ("nodeGroups:\n", "nodeGroups: primary\nx:\n", "nodeGroups: must be a list"),
    ],
    ids=["union-tag", "union-tag-missing", "model-type", "dict-type", "tuple-type"],
)
def test_messages_carry_no_pydantic_internals(old: str, new: str, expected: str) -> None:
    problems = problems_of(GOOD.replace(old, new))
    assert any(expected in problem for problem in problems), problems
    assert not any(word in problem for problem in problems for word in PYDANTIC_WORDING), problems


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e309", "must be a whole number"),
        ("1e80", "must be a whole number"),
        ("2.0", "must be a whole number"),
        ("2147483648", "less than or equal to 2147483647"),
        ("-1", "greater than or equal to 0"),
        ("true", "must be a whole number"),
    ],
    ids=["infinite", "huge-float", "float", "beyond-int32", "negative", "boolean"],
)
def test_counts_are_bounded_yaml_integers(value: str, message: str) -> None:
    [problem] = problems_of(GOOD.replace("replicas: 2", f"replicas: {value}"))
    assert problem.startswith("eksnet.yaml:11: apps[0].replicas: ")
    assert message in problem


def test_alias_bomb_is_refused_naming_the_file() -> None:
    # GIVEN nine levels of aliases, each nine times the one before (387 million values expanded)
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    with pytest.raises(SpecError) as caught:
        parse_profile("\n".join(lines) + "\n" + GOOD, "eksnet.yaml")
    assert str(caught.value) == "eksnet.yaml: YAML aliases expand to more than 2,000,000 values"


def test_deep_nesting_is_refused_naming_the_file() -> None:
    text = GOOD + "defaults: " + "[" * 5000 + "]" * 5000 + "\n"
    with pytest.raises(SpecError) as caught:
        parse_profile(text, "eksnet.yaml")
    assert str(caught.value).startswith("eksnet.yaml: YAML nested more than")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "p.yaml:1: profile is not UTF-8 text (byte 0x89 at offset 0)"),
        (
            GOOD.encode() + b"# caf\xe9\n",
            f"p.yaml:13: profile is not UTF-8 text (byte 0xe9 at offset {len(GOOD) + len('# caf')})",
        ),
    ],
    ids=["binary", "latin-1-comment"],
)
def test_undecodable_profile_names_byte_offset_and_line(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(content)
    with pytest.raises(SpecError) as caught:
        load_profile(path)
    assert str(caught.value) == expected.replace("p.yaml", str(path))


def test_fifo_as_profile_fails_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "eksnet.yaml"
    os.mkfifo(fifo)
    with pytest.raises(SpecError) as caught:
        load_profile(fifo)
    assert str(caught.value) == f"{fifo}: cannot read profile: a FIFO, not a regular file"


def test_profile_is_found_in_the_nearest_folder_above(tmp_path: Path) -> None:
    # GIVEN eksnet.yaml at the top of a repository and a working folder two levels below it
    (tmp_path / "eksnet.yaml").write_text(GOOD)
    below = tmp_path / "apps" / "web"
    below.mkdir(parents=True)
    assert find_profile(below) == tmp_path / "eksnet.yaml"
    # AND a nearer one wins
    (tmp_path / "apps" / "eksnet.yml").write_text(GOOD)
    assert find_profile(below) == tmp_path / "apps" / "eksnet.yml"
