"""gen app options merge into the app they name; --save rewrites only that app's entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from eksnet_manifests.errors import SpecError
from eksnet_manifests.profile.edit import AppOptions, stage_app, with_app
from eksnet_manifests.profile.load import load_profile

PROFILE = """\
# my cluster
cluster: {name: myeks, region: ap-northeast-2, vpcId: vpc-0123456789abcdef0}
nodeGroups: [{name: primary, instanceType: t3.medium, desiredSize: 3}]
externalDns:
  domainFilters: [example.com]
  policy: sync
apps:
  - name: web        # the storefront
    replicas: 3
    expose:
      type: alb
      hosts: [web.example.com, www.example.com]
      scheme: internal      # VPN only
      https: true
      sslRedirect: true
      healthCheck: {path: /healthz}
  - name: api
    expose: {type: nlb, hosts: [api.example.com]}
"""


@pytest.fixture
def profile_file(tmp_path: Path) -> Path:
    path = tmp_path / "eksnet.yaml"
    path.write_text(PROFILE)
    return path


def test_an_option_changes_only_its_field(profile_file: Path) -> None:
    # GIVEN an ALB app with hosts, scheme, TLS and a health check
    loaded = load_profile(profile_file)
    # WHEN only the replicas and the path are given
    app = with_app(loaded, AppOptions(name="web", expose="alb", replicas=5, path="/shop")).app
    # THEN every other exposure setting is kept
    assert app.replicas == 5
    assert app.expose.hosts == ("web.example.com", "www.example.com")
    assert (app.expose.scheme, app.expose.https, app.expose.ssl_redirect) == ("internal", True, True)
    assert app.expose.health_check.path == "/healthz"
    assert app.expose.path_prefix == "/shop"


def test_changing_the_kind_keeps_shared_fields_and_reports_the_dropped_ones(profile_file: Path) -> None:
    edited = with_app(load_profile(profile_file), AppOptions(name="web", expose="gateway"))
    assert edited.app.expose.type == "gateway"
    assert edited.app.expose.hosts == ("web.example.com", "www.example.com")
    assert edited.app.expose.health_check.path == "/healthz"
    assert edited.notes == (
        "changing web from alb to gateway exposure drops expose.https, expose.scheme, expose.sslRedirect",
    )


def test_changing_the_kind_drops_the_keys_a_shared_block_cannot_carry(profile_file: Path) -> None:
    # GIVEN an NLB app whose health check has timing only load balancer health checks have
    text = profile_file.read_text().replace(
        "expose: {type: nlb, hosts: [api.example.com]}",
        "expose: {type: nlb, hosts: [api.example.com], healthCheck: {path: /ready, intervalSeconds: 10}}",
    )
    profile_file.write_text(text)
    # WHEN it moves to the Gateway THEN the path is kept and the timing is reported as dropped
    edited = with_app(load_profile(profile_file), AppOptions(name="api", expose="gateway"))
    assert edited.app.expose.health_check.path == "/ready"
    assert edited.notes == (
        "changing api from nlb to gateway exposure drops expose.healthCheck.intervalSeconds",
    )


def test_dropping_hosts_under_policy_sync_warns_of_deleted_records(profile_file: Path) -> None:
    edited = with_app(load_profile(profile_file), AppOptions(name="api", expose="none"))
    assert edited.notes == (
        "changing api from nlb to none exposure drops expose.hosts "
        "(ExternalDNS policy sync will delete the records of its hosts)",
    )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (AppOptions(name="web", scheme="internet-facing"), ("scheme", "internet-facing")),
        (AppOptions(name="web", ttl=60), ("ttl", 60)),
        (
            AppOptions(
                name="api",
                https=True,
                certificate_arns=("arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-4e5f",),
            ),
            ("https", True),
        ),
        (
            AppOptions(
                name="api",
                certificate_arns=("arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-4e5f",),
            ),
            ("certificate_arns", ("arn:aws:acm:ap-northeast-2:111122223333:certificate/0a1b2c3d-4e5f",)),
        ),
        (AppOptions(name="web", expose="gateway", section="http"), ("section_name", "http")),
    ],
    ids=["scheme", "ttl", "https", "certificate-arn", "section"],
)
def test_exposure_flags_set_their_field(profile_file: Path, options: AppOptions, expected: tuple) -> None:
    field, value = expected
    assert getattr(with_app(load_profile(profile_file), options).app.expose, field) == value


@pytest.mark.parametrize(
    ("options", "flag", "message"),
    [
        (
            AppOptions(name="new", hosts=("new.example.com",)),
            "--host",
            "--host needs --expose nlb, alb or gateway",
        ),
        (AppOptions(hosts=("new.example.com",)), "--host", "--host needs --expose nlb, alb or gateway"),
        (
            AppOptions(name="api", path="/x"),
            "--path",
            "nlb exposure has no --path setting (it applies to alb, gateway)",
        ),
        (
            AppOptions(name="web", scheme="public"),
            "--scheme",
            "must be one of 'internet-facing' or 'internal'",
        ),
        (
            AppOptions(name="web", expose="gateway", section="tls"),
            "--section",
            "has no listener 'tls' (listeners: http)",
        ),
    ],
    ids=["host-without-expose", "host-names-new-app", "path-on-nlb", "bad-scheme", "bad-section"],
)
def test_flag_problems_name_the_flag(
    profile_file: Path, options: AppOptions, flag: str, message: str
) -> None:
    with pytest.raises(SpecError) as caught:
        with_app(load_profile(profile_file), options)
    assert caught.value.location.field == flag
    assert message in caught.value.message
    assert "Extra inputs" not in caught.value.message


def test_save_rewrites_only_the_app_it_changes(profile_file: Path) -> None:
    # GIVEN a hand-written profile with comments and flow style
    loaded = load_profile(profile_file)
    # WHEN web's replicas are changed and saved
    stage_app(loaded, with_app(loaded, AppOptions(name="web", replicas=4)).app).commit()
    # THEN the file differs in that one line, comments and formatting kept
    assert profile_file.read_text() == PROFILE.replace("    replicas: 3", "    replicas: 4")


def test_save_of_a_kind_change_removes_only_dropped_keys(profile_file: Path) -> None:
    loaded = load_profile(profile_file)
    stage_app(loaded, with_app(loaded, AppOptions(name="web", expose="gateway")).app).commit()
    text = profile_file.read_text()
    assert "type: gateway" in text and "# the storefront" in text and "healthCheck: {path: /healthz}" in text
    assert "sslRedirect" not in text and "scheme" not in text
    assert load_profile(profile_file).profile.apps[0].expose.type == "gateway"


def test_save_keeps_the_file_mode(profile_file: Path) -> None:
    profile_file.chmod(0o640)
    loaded = load_profile(profile_file)
    stage_app(loaded, with_app(loaded, AppOptions(name="web", replicas=4)).app).commit()
    assert profile_file.stat().st_mode & 0o777 == 0o640
