"""Helm values for the AWS Load Balancer Controller chart (eks/aws-load-balancer-controller)."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any

from eksnet_manifests.profile.controllers import LoadBalancerController
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.synth.artifact import Artifact
from eksnet_manifests.synth.helm import service_account_values
from eksnet_manifests.synth.helm.features import effective_feature_gates, feature_gates, table_release
from eksnet_manifests.versions import lbc as lbc_facts

LBC_VALUES_PATH = "helm/aws-load-balancer-controller.values.yaml"
CHART = "eks/aws-load-balancer-controller"
CHART_REPOSITORY = "https://aws.github.io/eks-charts"
RELEASE_NAME = "aws-load-balancer-controller"


def build_lbc_values(profile: Profile) -> Artifact:
    """Values for the controller: cluster facts it must not discover, identity, gates and class."""
    lbc = profile.load_balancer_controller
    cluster = profile.cluster
    gates = effective_feature_gates(profile)
    service_account, account_comments = service_account_values(
        lbc.service_account, lbc.identity, cluster, "loadBalancerController"
    )
    values: dict[str, Any] = {
        "clusterName": cluster.name,
        "region": cluster.region,
        "vpcId": cluster.vpc_id,
        "replicaCount": lbc.replicas,
        "image": {"tag": lbc.version},
        "serviceAccount": service_account,
        "ingressClass": lbc.ingress_class,
        "controllerConfig": {"featureGates": gates},
    }
    comments = {
        "clusterName": "--cluster-name: the EKS cluster whose load balancers and tags the controller owns",
        "region": "--aws-region: pods cannot read it from instance metadata under IMDSv2 hop limit 1",
        "vpcId": '--aws-vpc-id: without it, IMDSv2 hop limit 1 ends in "failed to get VPC ID" at start-up',
        "replicaCount": "one leader reconciles, the others stand by and serve the webhooks",
        "image.tag": "pinned to loadBalancerController.version (the chart's default is its own appVersion)",
        **account_comments,
        "ingressClass": "IngressClass the controller manages; Ingresses of other classes are ignored",
        "controllerConfig.featureGates": _gates_comment(lbc.version, bool(gates)),
        **_gate_comments(lbc.version, gates, lbc.feature_gates),
    }
    return Artifact(LBC_VALUES_PATH, values, comments, _header(profile))


def _gates_comment(version: str, any_gates: bool) -> str:
    release = table_release(version)
    checked = release if release == version else f"{release}, the nearest known release"
    if not any_gates:
        return f"none set, so the {version} defaults apply"
    return f"the chart passes them as --feature-gates=Name=bool,...; names checked against {checked}"


def _gate_comments(version: str, gates: dict[str, bool], declared: Mapping[str, bool]) -> dict[str, str]:
    defaults = feature_gates(version)
    return {
        f"controllerConfig.featureGates.{name}": (
            f"{'set in the profile' if name in declared else 'set for gateway exposure'}; "
            f"{version} default: {str(defaults[name]).lower()}"
        )
        for name in gates
    }


def chart_version(controller: LoadBalancerController) -> str | None:
    """The chart to install: the profile's ``chartVersion``, else the one shipping the controller release;
    None for a release between table entries (its chart is not guessed)."""
    return controller.chart_version or lbc_facts.chart_version(controller.version)


def chart_notes(profile: Profile) -> list[str]:
    controller = profile.load_balancer_controller
    if chart_version(controller) is not None:
        return []
    return [
        f"the eks/aws-load-balancer-controller chart of {controller.version} is not known to eksnet, so the "
        "values header pins none: set loadBalancerController.chartVersion"
    ]


def _header(profile: Profile) -> str:
    lbc = profile.load_balancer_controller
    # Profile values in a command line people paste are quoted for the shell (validated already).
    namespace = shlex.quote(lbc.service_account.namespace)
    version = chart_version(lbc)
    chart = f"{CHART} {version}" if version else f"{CHART} (version not pinned)"
    pinned = f" --version {shlex.quote(version)}" if version else ""
    return "\n".join(
        (
            f"Helm values for chart {chart}, controller {lbc.version}.",
            f"helm repo add eks {CHART_REPOSITORY}",
            f"helm upgrade --install {RELEASE_NAME} {CHART}{pinned} --namespace {namespace} "
            f"-f {LBC_VALUES_PATH}",
            "helm upgrade leaves the chart's CRDs as they are: apply the CRDs of the pinned release first.",
        )
    )
