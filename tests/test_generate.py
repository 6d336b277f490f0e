"""eksnet gen refuses what the controllers at the pinned versions would reject or serve differently, and says
so at the profile line that asked for it, naming what the controller does and the fix."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from eksnet_manifests.check.findings import Severity
from eksnet_manifests.errors import EksnetError
from eksnet_manifests.generate import GenOptions, check_bundle, generate
from eksnet_manifests.profile.load import load_profile
from eksnet_manifests.synth.bundle import build_bundle

REPO = Path(__file__).resolve().parent.parent
RULES = REPO / "tests" / "fixtures" / "profiles" / "rules"
BUNDLED = REPO / "profiles" / "myeks.yaml"


def rule_case(name: str, rule: str, severity: str, line: int, field: str, says: str, fix: str) -> Any:
    return pytest.param(name, rule, severity, line, field, says, fix, id=name)


# (profile, rule, severity, line, profile field, what the controller does, the fix)
FINDING_CASES = [
    rule_case(
        "lbc-watches-unserved-routes",
        "lbc-gateway-api-unserved",
        "error",
        5,
        "loadBalancerController.version",
        "informers never sync and the controller does not start",
        "Install Gateway API v1.6.0 or newer",
    ),
    rule_case(
        "external-dns-watches-unserved-route",
        "external-dns-gateway-api-unserved",
        "error",
        6,
        "externalDns.sources",
        "ExternalDNS does not start",
        "experimental channel of Gateway API v1.6.1",
    ),
    rule_case(
        "ingress-group-conflict",
        "ingress-group-conflict",
        "error",
        6,
        "apps[0].expose.scheme",
        "LBC fails to reconcile the whole group",
        "Set the same value on every member",
    ),
    rule_case(
        "alb-health-check-protocol",
        "lb-health-check",
        "error",
        10,
        "apps[0].expose.healthCheck.protocol",
        "LBC fails to build the target group",
        "use HTTP or HTTPS",
    ),
    rule_case(
        "nlb-health-check-path-ignored",
        "lb-health-check-ignored",
        "warning",
        9,
        "apps[0].expose.healthCheck.path",
        "healthcheck-path is ignored",
        "healthcheck-protocol: http",
    ),
    rule_case(
        "https-without-certificate",
        "tls-no-certificate",
        "error",
        8,
        "apps[0].expose.https",
        "LBC cannot create the listener",
        "set certificate-arn or give the rules hosts",
    ),
    rule_case(
        "certificate-in-another-region",
        "tls-certificate-region",
        "error",
        9,
        "apps[0].expose.certificateArns",
        "ELB only uses certificates of its own region",
        "request the certificate in ap-northeast-2",
    ),
    rule_case(
        "https-listener-without-route",
        "lbc-listener-not-created",
        "warning",
        5,
        "gatewayApi.tls",
        "LBC creates no load balancer listener",
        "attach a route or remove the listener",
    ),
    rule_case(
        "annotation-unknown-key",
        "lbc-annotation-unknown",
        "warning",
        9,
        "apps[0].expose.annotations.alb.ingress.kubernetes.io/healthcheck-interval",
        "reads no annotation alb.ingress.kubernetes.io/healthcheck-interval, so it has no effect",
        "did you mean alb.ingress.kubernetes.io/healthcheck-interval-seconds?",
    ),
    rule_case(
        "shadowed-route-match",
        "route-match-shadowed",
        "error",
        11,
        "apps[1].expose.pathPrefix",
        "Gateway API gives it to the older route",
        "make the matches or hostnames differ",
    ),
    rule_case(
        "alb-route-timeouts",
        "lbc-route-field-unsupported",
        "error",
        10,
        "apps[0].expose.rules[0].timeouts",
        "ALB Gateways do not implement timeouts",
        "idle_timeout.timeout_seconds",
    ),
    rule_case(
        "alb-route-header-modifier",
        "lbc-route-filter-unsupported",
        "error",
        9,
        "apps[0].expose.rules[0]",
        "LBC fails the listener rule",
        "listenerAttributes routing.http.response",
    ),
    rule_case(
        "oidc-on-http-listener",
        "lbc-route-listener-rule-config",
        "error",
        8,
        "apps[0].expose.sectionName",
        "serves the rule without authentication",
        "attach the route to HTTPS listeners only",
    ),
    rule_case(
        "grpc-on-http-listener",
        "lbc-route-grpc-listener",
        "error",
        6,
        "apps[0].expose.sectionName",
        "ALB serves gRPC only on HTTPS listeners",
        "attach to an HTTPS listener",
    ),
    rule_case(
        "internet-facing-gateway-open-to-all",
        "gateway-internet-facing-all-namespaces",
        "warning",
        9,
        "gatewayApi.gateways[0].allowedRoutes",
        "any team can publish a host on the internet",
        "admit namespaces by Selector",
    ),
    rule_case(
        "alb-rule-backend-port-missing",
        "backend-port-missing",
        "error",
        14,
        "apps[1].expose.rules[0].paths[0]",
        "Service default/api has no port port 9001",
        "(declared: ",
    ),
    rule_case(
        "nlb-two-routes-one-port",
        "lbc-nlb-routes-per-port",
        "warning",
        10,
        "gatewayApi.gateways[0].listeners",
        "sends its traffic to the oldest one only",
        "give each its own port",
    ),
]


@pytest.mark.parametrize(("name", "rule", "severity", "line", "field", "says", "fix"), FINDING_CASES)
def test_rule_fires_at_the_profile_line_with_the_controller_behaviour_and_fix(
    tmp_path: Path, name: str, rule: str, severity: str, line: int, field: str, says: str, fix: str
) -> None:
    # GIVEN a profile breaking one rule / WHEN generated
    path = RULES / f"{name}.yaml"
    result = generate(load_profile(path), GenOptions(out=tmp_path))
    # THEN the finding sits at the profile line and field, says what the controller does and how to fix it
    [finding] = [f for f in result.findings if f.rule == rule]
    assert (finding.file, finding.line, finding.path, finding.severity.value) == (
        str(path),
        line,
        field,
        severity,
    )
    assert says in finding.message and fix in finding.message
    assert re.search(r"; in the output: rules/\S+", finding.message)
    # and an error is never written, a warning does not stop the tree
    assert result.written is (severity == "warning")


PROFILE_CASES = [
    (
        "chart-of-another-release",
        5,
        "loadBalancerController.chartVersion",
        "remove chartVersion (eksnet derives it)",
    ),
    ("nlb-tls-without-certificate", 9, "apps[0].expose.https", "LBC discovers no certificates for Services"),
    (
        "host-on-two-load-balancers",
        10,
        "apps[1].expose.hosts",
        "ExternalDNS points a name at one load balancer",
    ),
    ("route-namespace-not-allowed", 6, "apps[0].namespace", "NotAllowedByListeners"),
    ("max-pods-above-eks-cap", 7, "nodeGroups[0].maxPods", "above 110, the EKS cap for t3.medium"),
    ("desired-above-max", 5, "nodeGroups[0].desiredSize", "EKS rejects the node group"),
    (
        "zone-outside-region",
        6,
        "cluster.availabilityZones[1]",
        "not an availability zone of region ap-northeast-2",
    ),
    ("subnet-outside-vpc", 6, "cluster.subnetCidrs[1]", "outside vpcCidr 192.168.0.0/16"),
    (
        "annotation-set-twice",
        11,
        "apps[0].expose.annotations.alb.ingress.kubernetes.io/ssl-policy",
        "is set both here and by expose.sslPolicy",
    ),
    (
        "setting-needs-newer-controller",
        9,
        "apps[0].expose.wafv2AclName",
        "needs AWS Load Balancer Controller v2.14.0",
    ),
]


@pytest.mark.parametrize(
    ("name", "line", "field", "says"), PROFILE_CASES, ids=[case[0] for case in PROFILE_CASES]
)
def test_profile_level_rule_is_bad_input_at_its_line(
    tmp_path: Path, name: str, line: int, field: str, says: str
) -> None:
    # GIVEN a profile whose sections contradict a controller or EKS / WHEN loaded and generated
    path = RULES / f"{name}.yaml"
    with pytest.raises(EksnetError) as raised:
        generate(load_profile(path), GenOptions(out=tmp_path))
    # THEN one error at the offending line and field
    location = raised.value.location
    assert (location.file, location.line, location.field) == (str(path), line, field)
    assert says in raised.value.message
    assert not (tmp_path / "rules").exists()


def test_raw_annotation_with_a_typed_field_is_a_warning_at_its_line(tmp_path: Path) -> None:
    # GIVEN an NLB's subnets set through the raw annotations / WHEN generated
    path = RULES / "annotation-with-typed-field.yaml"
    result = generate(load_profile(path), GenOptions(out=tmp_path))
    # THEN one warning at the annotation's line names the typed field, and the tree is still written
    [finding] = result.findings
    assert (finding.rule, finding.severity, finding.file, finding.line) == (
        "lbc-annotation-has-typed-field",
        Severity.WARNING,
        str(path),
        9,
    )
    assert "is set by expose.subnets: use the typed field" in finding.message
    assert result.written


def test_bundled_profile_with_a_seeded_cache_checks_every_custom_resource(
    tmp_path: Path, crd_cache: Path
) -> None:
    # GIVEN the bundled lab and the CRDs of its pinned releases in the cache / WHEN generated
    result = generate(load_profile(BUNDLED), GenOptions(out=tmp_path))
    # THEN nothing is left unchecked and nothing is wrong
    assert not [note for note in result.notes if "not schema-checked" in note]
    assert result.findings == [] and result.written


def test_custom_resources_are_checked_against_the_pinned_crds(crd_cache: Path) -> None:
    # GIVEN the bundled lab's objects with a field its LBC v3.1.0 TargetGroupConfiguration CRD does not have
    loaded = load_profile(BUNDLED)
    bundle = build_bundle(loaded.profile)
    tgc = next(obj for _, obj in bundle.manifests() if obj["kind"] == "TargetGroupConfiguration")
    tgc["spec"]["defaultConfiguration"]["targetType"] = "pod"
    # WHEN checked with the lab's pins / THEN the CRD's enum rejects it
    findings, _ = check_bundle(bundle, "1.34", (), cel=True, pins=loaded.profile.pins())
    assert [(f.rule, f.path) for f in findings if f.severity is Severity.ERROR] == [
        ("schema", "spec.defaultConfiguration.targetType")
    ]


def _bundled_with(tmp_path: Path, **versions: str) -> Path:
    text = BUNDLED.read_text("utf-8")
    for section, version in versions.items():
        text, count = re.subn(rf"({section}:\n  version: )v\S+", rf"\g<1>{version}", text)
        assert count == 1
    path = tmp_path / "eksnet.yaml"
    path.write_text(text)
    return path


def test_upgrading_only_the_controller_is_refused_naming_the_gateway_api_release_it_needs(
    tmp_path: Path,
) -> None:
    # GIVEN the lab with loadBalancerController.version v3.5.0 and nothing else changed
    path = _bundled_with(tmp_path, loadBalancerController="v3.5.0")
    result = generate(load_profile(path), GenOptions(out=tmp_path / "out"))
    # THEN it is refused at that line, naming the Gateway API release v3.5.0 needs
    assert result.failed and not result.written
    [finding] = [f for f in result.findings if f.severity is Severity.ERROR]
    line = path.read_text().splitlines().index("  version: v3.5.0") + 1
    assert (finding.file, finding.line, finding.path) == (str(path), line, "loadBalancerController.version")
    assert "Gateway API v1.6.0 or newer" in finding.message


def test_upgrading_the_controller_and_gateway_api_together_renders(tmp_path: Path) -> None:
    path = _bundled_with(tmp_path, loadBalancerController="v3.5.0", gatewayApi="v1.6.1")
    result = generate(load_profile(path), GenOptions(out=tmp_path / "out"))
    assert not result.failed, [f.to_text() for f in result.findings]
    assert result.written
    assert not [note for note in result.notes if "not schema-checked" in note]


def test_offline_with_an_empty_cache_gives_one_note_and_the_typed_rules_still_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN no CRDs cached and no downloads allowed
    monkeypatch.setenv("EKSNET_CRD_CACHE", str(tmp_path / "empty-cache"))
    good = generate(load_profile(BUNDLED), GenOptions(out=tmp_path / "a"))
    # THEN one note says what is unchecked and the command that fixes it
    unchecked = [note for note in good.notes if "not schema-checked" in note]
    assert len(unchecked) == 1 and "`eksnet crds fetch`" in unchecked[0]
    # AND one says the CRDs are referenced by their release URLs until they are fetched
    [by_url] = [note for note in good.notes if note.startswith("crds/ references")]
    assert "`eksnet crds fetch --profile PROFILE`" in by_url and "`eksnet crds import DIR`" in by_url
    kustomization = (good.cluster_dir / "crds" / "kustomization.yaml").read_text()
    assert "https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.3.0/" in kustomization
    # AND the version rules, which need no CRD file, still refuse an unserved pairing
    upgraded = generate(
        load_profile(_bundled_with(tmp_path, loadBalancerController="v3.5.0")), GenOptions(out=tmp_path / "b")
    )
    assert [f.rule for f in upgraded.findings if f.severity is Severity.ERROR] == ["lbc-gateway-api-unserved"]


@pytest.mark.parametrize(
    ("profile", "app", "written"),
    [
        ("tests/golden/minimal/profile.yaml", "web", {"web"}),
        ("profiles/gateways.yaml", "storefront", {"storefront", "storefront-canary", "catalog"}),
    ],
    ids=["https-listener-used-by-another-app", "backends-and-other-gateways"],
)
def test_gen_app_checks_the_whole_tree_and_writes_the_app_and_its_backends(
    tmp_path: Path, profile: str, app: str, written: set[str]
) -> None:
    # GIVEN a profile whose Gateways carry listeners other apps use / WHEN one app is generated
    result = generate(load_profile(REPO / profile), GenOptions(out=tmp_path), only_app=app)
    # THEN the tree is judged whole (no listener is "without routes"), and only the app and the apps
    # whose objects depend on it are written
    assert result.findings == [], [finding.to_text() for finding in result.findings]
    apps = result.cluster_dir / "apps"
    assert {path.stem for path in apps.iterdir() if path.name != "kustomization.yaml"} == written
    # and the apps' kustomization lists what is there, so the tree builds
    listed = yaml.safe_load((apps / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(f"{name}.yaml" for name in written)


def test_a_vendored_tree_regenerates_offline_with_an_empty_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN the lab's tree written with the CRDs cached (a fresh clone of a committed tree)
    first = generate(load_profile(BUNDLED), GenOptions(out=tmp_path / "out"))
    assert (first.cluster_dir / "crds" / "gateway-api.yaml").is_file()
    # WHEN generated again offline with an empty CRD cache
    monkeypatch.setenv("EKSNET_CRD_CACHE", str(tmp_path / "empty-cache"))
    again = generate(load_profile(BUNDLED), GenOptions(out=tmp_path / "out"))
    # THEN the vendored CRDs stand in for the cache: nothing changes and everything is schema-checked
    assert not again.change.drift and again.findings == []
    assert not [note for note in again.notes if "CRD cache" in note or "crds/" in note]


def test_a_hand_edited_vendored_crd_file_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = generate(load_profile(BUNDLED), GenOptions(out=tmp_path / "out"))
    vendored = first.cluster_dir / "crds" / "gateway-api.yaml"
    vendored.write_text(vendored.read_text().replace("maxLength: 253", "maxLength: 9999", 1))
    monkeypatch.setenv("EKSNET_CRD_CACHE", str(tmp_path / "empty-cache"))
    again = generate(load_profile(BUNDLED), GenOptions(out=tmp_path / "out"))
    # THEN that release is referenced by URL, with the note naming the fix, and the edit is replaced
    assert any("references the release files of Gateway API v1.3.0" in note for note in again.notes)
    assert not vendored.exists()


@pytest.mark.parametrize(
    ("out", "path", "noted"),
    [("deploy", None, True), ("out", None, False), ("deploy", "deploy/myeks", False)],
    ids=["written-elsewhere", "written-where-read", "path-set"],
)
def test_a_tree_written_where_the_engine_does_not_read_it_is_noted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str, path: str | None, noted: bool
) -> None:
    from eksnet_manifests.generate import tree_path_notes
    from eksnet_manifests.profile.gitops import GitOps

    gitops = GitOps(engine="flux", path=path)
    profile = load_profile(BUNDLED).profile.model_copy(update={"gitops": gitops})
    notes = tree_path_notes(profile, Path(out) / "myeks")
    assert bool(notes) is noted
    assert not notes or "set gitops.path to where it is committed" in notes[0]
