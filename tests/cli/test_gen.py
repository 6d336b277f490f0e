"""`eksnet gen` end to end: what a platform engineer runs, checked with real clients and upstream schemas."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from eksnet_manifests.check.parallel import usable_cores
from eksnet_manifests.cli import app
from eksnet_manifests.render.tree import read_tree

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def load_all(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


@pytest.fixture
def in_empty_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_design_card_command_writes_a_coherent_gateway_set(in_empty_dir: Path) -> None:
    result = run("gen", "app", "--expose", "gateway", "--host", "gwapi.example.com")
    assert result.exit_code == 0, result.output
    cluster = in_empty_dir / "out" / "myeks"
    app_objects = {doc["kind"]: doc for doc in load_all(cluster / "apps" / "gwapi.yaml")}
    platform = {doc["kind"]: doc for doc in load_all(cluster / "platform" / "gateway.yaml")}
    route, service, tgc = (
        app_objects["HTTPRoute"],
        app_objects["Service"],
        app_objects["TargetGroupConfiguration"],
    )
    gateway, gateway_class, lb_config = (
        platform["Gateway"],
        platform["GatewayClass"],
        platform["LoadBalancerConfiguration"],
    )

    parent = route["spec"]["parentRefs"][0]
    assert parent["name"] == gateway["metadata"]["name"]
    assert parent["sectionName"] in {listener["name"] for listener in gateway["spec"]["listeners"]}
    assert gateway["spec"]["gatewayClassName"] == gateway_class["metadata"]["name"]
    assert gateway_class["spec"]["controllerName"] == "gateway.k8s.aws/alb"
    params = gateway_class["spec"]["parametersRef"]
    assert (params["kind"], params["name"], params["namespace"]) == (
        "LoadBalancerConfiguration",
        lb_config["metadata"]["name"],
        lb_config["metadata"]["namespace"],
    )
    backend = route["spec"]["rules"][0]["backendRefs"][0]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"] in {port["port"] for port in service["spec"]["ports"]}
    assert tgc["spec"]["targetReference"]["name"] == service["metadata"]["name"]
    assert tgc["spec"]["defaultConfiguration"]["targetType"] == "ip"
    assert route["spec"]["hostnames"] == ["gwapi.example.com"]
    values = yaml.safe_load((cluster / "helm" / "aws-load-balancer-controller.values.yaml").read_text())
    assert values["controllerConfig"]["featureGates"]["ALBGatewayAPI"] is True
    dns = yaml.safe_load((cluster / "helm" / "external-dns.values.yaml").read_text())
    assert "gateway-httproute" in dns["sources"]


def test_gen_all_reproduces_the_lab_and_is_byte_identical_twice(in_empty_dir: Path) -> None:
    first = run("gen", "all")
    assert first.exit_code == 0, first.output
    cluster = in_empty_dir / "out" / "myeks"
    tree = read_tree(cluster)
    assert {
        "apps/echo.yaml",
        "apps/game-2048.yaml",
        "apps/tetris.yaml",
        "apps/gwapi.yaml",
        "apps/netshoot.yaml",
    } <= set(tree)
    kinds = {doc["kind"] for path in tree if path.startswith("apps/") for doc in load_all(cluster / path)}
    assert {"Deployment", "Service", "Ingress", "HTTPRoute", "TargetGroupConfiguration"} <= kinds
    second = run("gen", "all")
    assert second.exit_code == 0
    assert "unchanged" in second.output
    assert read_tree(cluster) == tree


def test_check_reports_drift_without_writing(in_empty_dir: Path) -> None:
    assert run("gen", "all").exit_code == 0
    assert run("gen", "all", "--check").exit_code == 0
    edited = in_empty_dir / "out" / "myeks" / "apps" / "echo.yaml"
    edited.write_text("edited\n")
    result = run("gen", "all", "--check")
    assert result.exit_code == 1
    assert "~ apps/echo.yaml" in result.output
    assert edited.read_text() == "edited\n"


def test_bad_profile_is_one_line_exit_2_and_out_untouched(in_empty_dir: Path) -> None:
    assert run("gen", "all").exit_code == 0
    before = read_tree(in_empty_dir / "out" / "myeks")
    profile = in_empty_dir / "eksnet.yaml"
    profile.write_text(
        "cluster: {name: myeks, region: ap-northeast-2, vpcId: vpc-0123456789abcdef0}\n"
        "nodeGroups: [{name: a, instanceType: t3.medium, desiredSize: 1}]\n"
        "apps:\n"
        "  - name: web\n"
        "    replicaz: 2\n"
    )
    result = runner.invoke(app, ["gen", "all"])
    assert result.exit_code == 2
    assert "eksnet.yaml:5: apps[0].replicaz: unknown field" in result.output
    assert "Traceback" not in result.output
    assert read_tree(in_empty_dir / "out" / "myeks") == before


def test_save_makes_gen_all_reproduce_the_app(in_empty_dir: Path) -> None:
    result = run("gen", "app", "shop", "--expose", "alb", "--host", "shop.example.com", "--save")
    assert result.exit_code == 0, result.output
    assert (in_empty_dir / "eksnet.yaml").is_file()
    app_file = in_empty_dir / "out" / "myeks" / "apps" / "shop.yaml"
    rendered = app_file.read_bytes()
    shutil.rmtree(in_empty_dir / "out")
    assert run("gen", "all").exit_code == 0
    assert app_file.read_bytes() == rendered


@pytest.mark.skipif(
    shutil.which("kubectl") is None and os.environ.get("CI") != "true", reason="kubectl not installed"
)
def test_kubectl_kustomize_builds_the_tree(in_empty_dir: Path) -> None:
    assert run("gen", "all").exit_code == 0
    built = subprocess.run(
        ["kubectl", "kustomize", str(in_empty_dir / "out" / "myeks")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    kinds = {doc["kind"] for doc in yaml.safe_load_all(built.stdout) if doc}
    assert {"Namespace", "Deployment", "Service", "Ingress", "Gateway", "GatewayClass", "HTTPRoute"} <= kinds


GATEWAY_PROFILE = """\
cluster: {name: myeks, region: ap-northeast-2, vpcId: vpc-0123456789abcdef0}
nodeGroups: [{name: a, instanceType: t3.medium, desiredSize: 1}]
loadBalancerController:
  version: v3.1.0
  featureGates:
    NLBGatewayAPI: true
gatewayApi: {channel: experimental}
apps:
  - name: web
    expose: {type: gateway, hosts: [web.example.com]}
"""


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            "NLBGatewayAPI: true",
            "GatewayListenerSet: true",
            "eksnet.yaml:6: loadBalancerController.featureGates.GatewayListenerSet: feature gate",
        ),
        ("NLBGatewayAPI: true", "ALBGatewayAPI: false", "eksnet.yaml:6: loadBalancerController.featureGates"),
        (
            "version: v3.1.0",
            "version: v2.13.3",
            "eksnet.yaml:10: apps[0].expose.type: gateway exposure needs",
        ),
    ],
    ids=["gate-unknown-to-release", "gateway-gate-off", "lbc-too-old-for-gateway"],
)
def test_build_errors_name_the_profile_line(in_empty_dir: Path, old: str, new: str, where: str) -> None:
    (in_empty_dir / "eksnet.yaml").write_text(GATEWAY_PROFILE.replace(old, new))
    result = runner.invoke(app, ["gen", "all"])
    assert result.exit_code == 2
    assert where in result.output
    assert not (in_empty_dir / "out").exists()


def _cluster_profile(folder: Path, name: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(GATEWAY_PROFILE.replace("name: myeks", f"name: {name}"))
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_gen_all_renders_several_clusters_in_one_run(in_empty_dir: Path, jobs: str) -> None:
    first, second = _cluster_profile(in_empty_dir, "east"), _cluster_profile(in_empty_dir, "west")
    result = runner.invoke(app, ["gen", "all", "-p", str(first), "-p", str(second), "--jobs", jobs])
    assert result.exit_code == 0, result.output
    east, west = read_tree(in_empty_dir / "out" / "east"), read_tree(in_empty_dir / "out" / "west")
    assert east["apps/web.yaml"] == west["apps/web.yaml"]
    assert b"clusterName: east" in east["helm/aws-load-balancer-controller.values.yaml"]


def test_gen_all_in_threads_writes_the_trees_of_one_cluster_at_a_time(in_empty_dir: Path) -> None:
    # GIVEN three clusters (they share one Node.js when generated together)
    profiles = [_cluster_profile(in_empty_dir, name) for name in ("east", "west", "north")]
    options = [arg for path in profiles for arg in ("-p", str(path))]
    # WHEN they are generated one at a time, and then two at a time into another folder
    one = runner.invoke(app, ["gen", "all", *options, "--out", "one", "--jobs", "1"])
    two = runner.invoke(app, ["gen", "all", *options, "--out", "two", "--jobs", "2"])
    # THEN the trees are byte for byte the same
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    for name in ("east", "west", "north"):
        assert read_tree(in_empty_dir / "two" / name) == read_tree(in_empty_dir / "one" / name)


def test_two_profiles_for_one_cluster_are_rejected_before_writing(in_empty_dir: Path) -> None:
    first = _cluster_profile(in_empty_dir, "east")
    copy = in_empty_dir / "copy.yaml"
    copy.write_bytes(first.read_bytes())
    result = runner.invoke(app, ["gen", "all", "-p", str(first), "-p", str(copy)])
    assert result.exit_code == 2
    assert "same cluster" in result.output
    assert not (in_empty_dir / "out").exists()


def test_console_script_reports_bad_input_in_one_line(in_empty_dir: Path) -> None:
    # GIVEN the installed command (which starts cdk8s in the background) and a broken profile
    (in_empty_dir / "bad.yaml").write_text("apps: [\n")
    eksnet = Path(sys.executable).with_name("eksnet")
    # WHEN it runs; THEN it exits 2 with one line, even though the background start is cut short
    done = subprocess.run(
        [str(eksnet), "gen", "all", "-p", "bad.yaml"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: bad.yaml:2: invalid YAML: expected the node content, but found '<stream end>'"
    ]


def test_profile_of_only_internal_apps_renders(in_empty_dir: Path) -> None:
    (in_empty_dir / "eksnet.yaml").write_text(
        "cluster: {name: tiny, region: us-east-1, vpcId: vpc-0123456789abcdef0}\n"
        "nodeGroups: [{name: a, instanceType: t3.medium, desiredSize: 1}]\n"
        "apps: [{name: tools}]\n"
    )
    result = run("gen", "all")
    assert result.exit_code == 0, result.output
    tree = read_tree(in_empty_dir / "out" / "tiny")
    assert "platform/gateway.yaml" not in tree
    assert [doc["kind"] for doc in load_all(in_empty_dir / "out" / "tiny" / "apps" / "tools.yaml")] == [
        "Deployment",
        "Service",
    ]


GATEWAYS_PROFILE = Path(__file__).resolve().parents[2] / "profiles" / "gateways.yaml"


def test_gen_app_attaches_a_new_app_to_the_gateway_it_names(in_empty_dir: Path) -> None:
    # GIVEN the Gateway example / WHEN a new app is put on the internal Gateway by name
    result = run(
        "gen", "app", "reports", "--expose", "gateway", "--gateway", "internal", "--namespace", "catalog",
        "--host", "reports.internal.example.com", "--profile", str(GATEWAYS_PROFILE),
    )  # fmt: skip
    # THEN its HTTPRoute attaches to that Gateway's listener in the platform namespace
    assert result.exit_code == 0, result.output
    route = next(
        doc
        for doc in load_all(in_empty_dir / "out" / "shop" / "apps" / "reports.yaml")
        if doc["kind"] == "HTTPRoute"
    )
    assert route["spec"]["parentRefs"] == [
        {
            "group": "gateway.networking.k8s.io",
            "kind": "Gateway",
            "name": "internal",
            "namespace": "gateways",
            "sectionName": "http",
        }
    ]


def test_gen_app_with_an_unknown_gateway_names_the_flag(in_empty_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "gen",
            "app",
            "web",
            "--expose",
            "gateway",
            "--gateway",
            "privat",
            "--profile",
            str(GATEWAYS_PROFILE),
        ],
    )
    assert result.exit_code == 2
    assert "--gateway: no Gateway 'privat' in gatewayApi.gateways (public, internal, edge)" in result.output
    assert not (in_empty_dir / "out").exists()


@pytest.mark.parametrize(("cores", "expected"), [({0}, 1), ({0, 1}, 2), ({1, 3, 5}, 3)], ids=["1", "2", "3"])
def test_gen_all_jobs_default_to_the_cores_the_process_may_use(
    monkeypatch: pytest.MonkeyPatch, cores: set[int], expected: int
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: cores, raising=False)
    assert usable_cores() == expected
