"""``eksnet init``: a commented starting profile for the user's own cluster, valid as written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError

from eksnet_manifests.errors import Location, SpecError
from eksnet_manifests.profile.app import AppDefaults
from eksnet_manifests.profile.cluster import Cluster, InstanceType
from eksnet_manifests.profile.controllers import GatewayApi, LoadBalancerController
from eksnet_manifests.profile.load import parse_profile
from eksnet_manifests.profile.names import (
    AccountId,
    Count,
    DnsLabel,
    Domain,
    KubernetesVersion,
    Region,
    VpcId,
)

SCHEMA_FILE = "eksnet.schema.json"
MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE}"
PLACEHOLDER_VPC_ID = "vpc-0123456789abcdef0"


@dataclass(frozen=True)
class StarterOptions:
    cluster: str
    region: str
    vpc_id: str = PLACEHOLDER_VPC_ID
    kubernetes_version: str = str(Cluster.model_fields["kubernetes_version"].default)
    account_id: str | None = None
    node_group: str = "primary"
    instance_type: str = "t3.medium"
    nodes: int = 2
    domains: tuple[str, ...] = ()


_OPTIONS = (
    ("cluster", "--cluster", DnsLabel),
    ("region", "--region", Region),
    ("vpc_id", "--vpc-id", VpcId),
    ("kubernetes_version", "--kubernetes-version", KubernetesVersion),
    ("account_id", "--account-id", AccountId | None),
    ("node_group", "--node-group", DnsLabel),
    ("instance_type", "--instance-type", InstanceType),
    ("nodes", "--nodes", Count),
)


def cluster_name_from(folder: str) -> str:
    """A DNS label made from a folder name (``Payments_API`` -> ``payments-api``), for init's default."""
    label = re.sub(r"[^a-z0-9-]+", "-", folder.lower()).strip("-")[:63].strip("-")
    return label or "my-cluster"


def starter_profile(options: StarterOptions) -> str:
    """The profile text; every value is checked first and named by its option when it is wrong."""
    for attribute, flag, kind in _OPTIONS:
        _check(kind, getattr(options, attribute), flag)
    for domain in options.domains:
        _check(Domain, domain, "--domain")
    text = _render(options)
    parse_profile(text, "<eksnet init>")  # what init writes always loads
    return text


def _check(kind: object, value: object, flag: str) -> None:
    try:
        TypeAdapter(kind).validate_python(value)
    except ValidationError as exc:
        message = str(exc.errors(include_url=False)[0]["msg"]).removeprefix("Value error, ")
        raise SpecError(message, Location("<command line>", None, flag)) from None


def _render(o: StarterOptions) -> str:
    lbc, gateway, defaults = LoadBalancerController(), GatewayApi(), AppDefaults()
    account = f'  accountId: "{o.account_id}"' if o.account_id else '  # accountId: "111122223333"'
    vpc_note = (
        f"   # replace: aws eks describe-cluster --name {o.cluster} --query cluster.resourcesVpcConfig.vpcId"
        if o.vpc_id == PLACEHOLDER_VPC_ID
        else ""
    )
    filters = f"domainFilters: [{', '.join(o.domains)}]" if o.domains else "# domainFilters: [example.com]"
    host = f"web.{o.domains[0]}" if o.domains else "web.example.com"
    return f"""{MODELINE}
# eksnet profile for EKS cluster {o.cluster}. `eksnet explain FIELD` documents any key (e.g.
# `eksnet explain apps.expose`); `eksnet gen app NAME --expose nlb|alb|gateway --host HOST --save`
# adds an app; `eksnet gen all` writes out/{o.cluster}/; `eksnet plan` says whether the pods fit.
cluster:
  name: {o.cluster}
  region: {o.region}
  vpcId: {o.vpc_id}{vpc_note}
  kubernetesVersion: "{o.kubernetes_version}"
{account}           # needed for IAM role ARNs in the trust policies
nodeGroups:
  - name: {o.node_group}
    instanceType: {o.instance_type}   # decides ENIs per node, and so max pods
    desiredSize: {o.nodes}
loadBalancerController:
  version: {lbc.version}           # the AWS Load Balancer Controller release in the cluster
  # identity: {{type: irsa, roleName: {o.cluster}-lbc, oidcProvider: https://oidc.eks.{o.region}.amazonaws.com/id/...}}
externalDns:
  {filters}   # the zones ExternalDNS may change; every app host must be inside one
  policy: upsert-only      # sync also deletes the records it owns
gatewayApi:
  version: {gateway.version}           # Gateway API CRDs installed in the cluster
  channel: {gateway.channel}
defaults:
  image: {defaults.image}
  port: {defaults.port}
  replicas: {defaults.replicas}
  namespace: {defaults.namespace}
# An app, as `eksnet gen app web --expose alb --host {host} --save` records it:
#   - name: web
#     expose: {{type: alb, hosts: [{host}], scheme: internet-facing}}
apps: []
"""
