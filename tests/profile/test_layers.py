"""Layered profiles: a later file wins (mappings key by key, other values whole, apps by name), and every
error names the file and line that set the value."""

from __future__ import annotations

from pathlib import Path

import pytest

from eksnet_manifests.errors import EksnetError
from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.edit import stage_app
from eksnet_manifests.profile.layers import merge_values
from eksnet_manifests.profile.load import load_profile

BASE = """\
cluster: {name: base, region: eu-west-1, vpcId: vpc-0a1b2c3d4e5f60718}
nodeGroups: [{name: ng, instanceType: t3.medium, desiredSize: 2}]
externalDns: {domainFilters: [example.com, example.org]}
apps:
  - name: web
    replicas: 2
    expose: {type: nlb, hosts: [web.example.com], scheme: internal}
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder / next(iter(files))


@pytest.mark.parametrize(
    ("base", "top", "merged"),
    [
        ({"a": 1, "b": {"c": 1, "d": 2}}, {"b": {"d": 3}}, {"a": 1, "b": {"c": 1, "d": 3}}),
        ({"hosts": ["a", "b"]}, {"hosts": ["c"]}, {"hosts": ["c"]}),
        ({"x": {"y": 1}}, {"x": "replaced"}, {"x": "replaced"}),
    ],
    ids=["mappings-merge-key-by-key", "lists-are-replaced", "a-scalar-replaces-a-mapping"],
)
def test_a_later_value_wins(base: dict, top: dict, merged: dict) -> None:
    assert merge_values(base, top) == merged


def test_an_overlay_changes_only_what_it_names(tmp_path: Path) -> None:
    overlay = write(
        tmp_path,
        {
            "prod.yaml": "extends: base.yaml\ncluster: {name: prod}\n"
            "externalDns: {domainFilters: [example.com]}\n"
            "apps:\n  - name: web\n    expose: {scheme: internet-facing}\n  - name: api\n",
            "base.yaml": BASE,
        },
    )
    profile = load_profile(overlay).profile
    web, api = profile.apps
    assert (profile.cluster.name, profile.cluster.region) == ("prod", "eu-west-1")
    assert profile.external_dns.domain_filters == ("example.com",)
    assert (web.replicas, web.expose.scheme, web.expose.hosts) == (2, "internet-facing", ("web.example.com",))
    assert api.name == "api"


def test_included_app_files_join_the_apps_and_errors_name_their_file_and_line(tmp_path: Path) -> None:
    profile = write(
        tmp_path,
        {
            "eksnet.yaml": BASE + "includes: [teams/*.yaml]\n",
            "teams/a.yaml": "apps:\n  - name: a\n  - name: b\n",
        },
    )
    assert [app.name for app in load_profile(profile).profile.apps] == ["web", "a", "b"]
    (tmp_path / "teams" / "z.yaml").write_text("apps:\n  - name: z\n    replicas: -3\n")
    with pytest.raises(EksnetError) as raised:
        load_profile(profile)
    location = raised.value.location
    assert (location.file, location.line, location.field) == (
        str(tmp_path / "teams" / "z.yaml"),
        3,
        "apps[0].replicas",
    )


@pytest.mark.parametrize(
    ("files", "where", "says"),
    [
        ({"eksnet.yaml": BASE + "includes: [teams/*.yaml]\n"}, ("eksnet.yaml", 8), "matches no file"),
        ({"eksnet.yaml": BASE + "extends: missing.yaml\n"}, ("eksnet.yaml", 8), "no such file"),
        ({"eksnet.yaml": "extends: b.yaml\n", "b.yaml": "extends: eksnet.yaml\n"}, ("b.yaml", 1), "cycle"),
        (
            {"eksnet.yaml": BASE + "includes: [t.yaml]\n", "t.yaml": "apps: []\ncluster: {}\n"},
            ("t.yaml", 2),
            "apps:` only",
        ),
        (
            {"eksnet.yaml": BASE.replace("includes", "x") + "includes: [t.yaml]\n", "t.yaml": "apps: web\n"},
            ("t.yaml", 1),
            "must be a list",
        ),
        (
            {"eksnet.yaml": BASE + "includes: [t.yaml]\n", "t.yaml": "apps:\n  - name: web\n"},
            ("t.yaml", 2),
            "duplicate app name",
        ),
    ],
    ids=[
        "glob-matching-nothing",
        "base-not-found",
        "extends-cycle",
        "team-file-with-other-keys",
        "apps-not-a-list",
        "two-files-one-app",
    ],
)
def test_layering_mistakes_are_errors_at_their_line(
    tmp_path: Path, files: dict[str, str], where: tuple[str, int], says: str
) -> None:
    profile = write(tmp_path, files)
    with pytest.raises(EksnetError) as raised:
        load_profile(profile)
    location = raised.value.location
    assert (Path(str(location.file)).name, location.line) == where and says in raised.value.message


def test_save_refuses_an_app_defined_in_another_file(tmp_path: Path) -> None:
    profile = write(
        tmp_path, {"eksnet.yaml": BASE + "includes: [t.yaml]\n", "t.yaml": "apps:\n  - name: team\n"}
    )
    loaded = load_profile(profile)
    with pytest.raises(EksnetError, match=r"is defined in .*t\.yaml: --save writes only"):
        stage_app(loaded, App(name="team", replicas=4))
    staged = stage_app(loaded, App(name="new"))  # an app of the profile's own is saved there
    staged.discard()


def test_includes_in_text_without_a_file_are_refused_not_dropped() -> None:
    from eksnet_manifests.profile.load import parse_profile

    with pytest.raises(EksnetError, match="includes names files relative to the profile's folder"):
        parse_profile(BASE + "includes: [teams/*.yaml]\n", "<stdin>")
