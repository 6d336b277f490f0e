"""Validated name types shared by every section: identifiers, hostnames, ports, versions, counts.

Every identifier is checked by ``identifier()``: the whole string must match (``re.fullmatch``, so a
trailing newline is refused), with ASCII classes only (``\\d`` never accepts Arabic-Indic digits, no
Cyrillic look-alikes), and nothing is stripped: a value with spaces around it is refused, not repaired.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, Field, Strict, WithJsonSchema

from eksnet_manifests.errors import shown
from eksnet_manifests.versions.aws import aws_partition

INT32_MAX = 2**31 - 1
_LABEL = r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"


def identifier_check(
    pattern: str, description: str, *, max_length: int | None = None
) -> Callable[[str], str]:
    """A validator accepting exactly the strings ``pattern`` matches in full, ASCII only."""
    compiled = re.compile(pattern, re.ASCII)

    def check(value: str) -> str:
        if (max_length is not None and len(value) > max_length) or compiled.fullmatch(value) is None:
            raise ValueError(f"{shown(value)} is not {description}")
        return value

    return check


def identifier(pattern: str, description: str, *, max_length: int | None = None) -> Any:
    """A string type for one identifier family (``description`` completes "'x' is not …")."""
    schema: dict[str, Any] = {"type": "string", "pattern": f"^(?:{pattern})$"}
    if max_length is not None:
        schema["maxLength"] = max_length
    return Annotated[
        str,
        AfterValidator(identifier_check(pattern, description, max_length=max_length)),
        WithJsonSchema(schema),
    ]


def _lowercase_dns(check: Callable[[str], str]) -> Callable[[str], str]:
    # DNS names are case-insensitive and may be written fully qualified: normalise only that.
    return lambda value: check(value.lower().removesuffix("."))


_hostname = _lowercase_dns(
    identifier_check(
        rf"(\*\.)?{_LABEL}(\.{_LABEL})+", "a valid DNS hostname (e.g. app.example.com)", max_length=253
    )
)
_domain = _lowercase_dns(
    identifier_check(rf"({_LABEL}\.)+[a-z]{{2,63}}", "a domain name like example.com", max_length=253)
)
_RELEASE = re.compile(r"v(\d+)\.(\d+)\.(\d+)", re.ASCII)

DnsLabel = identifier(_LABEL, "a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)")
Hostname = Annotated[str, AfterValidator(_hostname)]
Domain = Annotated[str, AfterValidator(_domain)]
ReleaseVersion = identifier(_RELEASE.pattern, "a release version like v2.14.0")
ChartVersion = identifier(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?",
    "a Helm chart version like 1.14.0 (semantic version)",
    max_length=64,
)
UrlPath = identifier(r"/[!-~]*", "an absolute URL path like /healthz (no spaces, ? or #)", max_length=1024)
Region = identifier(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]", "an AWS region like ap-northeast-2")
AvailabilityZone = identifier(
    r"[a-z]{2}-[a-z0-9-]*[0-9][a-z]", "an availability zone name like ap-northeast-2a", max_length=32
)
AccountId = identifier(r"[0-9]{12}", "a 12-digit AWS account ID")
KubernetesVersion = identifier(r"1\.[0-9]{2}", "a Kubernetes minor version like 1.34")
RoleName = identifier(r"[A-Za-z0-9_+=,.@-]+", "an IAM role name ([A-Za-z0-9_+=,.@-])", max_length=64)
Duration = identifier(r"[0-9]{1,6}(s|m|h)", "a duration like 30s, 1m or 1h")
EksctlName = identifier(r"[A-Za-z0-9_.-]+", "a name of letters, digits, '_', '.' and '-'", max_length=128)


def aws_id(prefix: str, what: str) -> Any:
    """A VPC-style resource ID: ``<prefix>-`` and 8 or 17 lowercase hex digits."""
    return identifier(rf"{prefix}-[0-9a-f]{{8}}([0-9a-f]{{9}})?", f"{what} like {prefix}-0123456789abcdef0")


VpcId = aws_id("vpc", "a VPC ID")
SubnetId = aws_id("subnet", "a subnet ID")
SecurityGroupId = aws_id("sg", "a security group ID")

PrefixListId = aws_id("pl", "a managed prefix list ID")
# LBC takes a value starting with "subnet-" / "sg-" as an ID and anything else as a Name tag
# (pkg/networking/subnet_resolver.go, security_group_resolver.go, LBC v3.5.0); annotations list them
# comma-separated, so a name has no comma.
_AS_ID = "{} (LBC reads a value starting with {} as an ID, not a Name tag)"
_NAME_TAG = r"[!-+\--~]([ -+\--~]{0,253}[!-+\--~])?"


def id_or_name(prefix: str, what: str) -> Any:
    """A resource LBC takes by ID (``<prefix>-`` and 8 or 17 hex digits) or by Name tag."""
    id_check = identifier_check(
        rf"{prefix}-[0-9a-f]{{8}}([0-9a-f]{{9}})?", _AS_ID.format(f"a {what} ID", f"{prefix}-")
    )
    name_check = identifier_check(_NAME_TAG, f"a {what} Name tag (no comma, no spaces around it)")

    def check(value: str) -> str:
        return id_check(value) if value.startswith(f"{prefix}-") else name_check(value)

    schema = {"type": "string", "description": f"a {what} ID ({prefix}-…) or Name tag"}
    return Annotated[str, AfterValidator(check), WithJsonSchema(schema)]


SubnetRef = id_or_name("subnet", "subnet")
SecurityGroupRef = id_or_name("sg", "security group")


def _cidr(value: str) -> str:
    """An IPv4 or IPv6 network in canonical form (no host bits set), as EC2 security group rules take it."""
    if "/" not in value or not value.isascii():
        raise ValueError(f"{shown(value)} is not a CIDR block like 10.0.0.0/16 or 2001:db8::/32")
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(f"{shown(value)} is not a CIDR block like 10.0.0.0/16 or 2001:db8::/32") from None
    if str(network) != value:
        raise ValueError(f"{shown(value)} is not in canonical form: write {network}")
    return value


Cidr = Annotated[
    str, AfterValidator(_cidr), WithJsonSchema({"type": "string", "description": "a CIDR block"})
]


def is_ipv6(cidr: str) -> bool:
    return ":" in cidr


# AWS tags (Tagging Best Practices: keys 1-128, values 0-256 characters of letters, digits, spaces and
# + - = . _ : / @; "aws:" is reserved). LBC's key=value annotations split on "," and the first "=".
TagKey = identifier(
    r"(?!aws:)[A-Za-z0-9+\-.:/@_]([A-Za-z0-9 +\-.:/@_]{0,126}[A-Za-z0-9+\-.:/@_])?",
    "an AWS tag key (no '=', ',' or aws: prefix)",
)
TagValue = identifier(
    r"([A-Za-z0-9+\-=.:/@_]([A-Za-z0-9 +\-=.:/@_]{0,254}[A-Za-z0-9+\-=.:/@_])?)?", "an AWS tag value (no ',')"
)
# S3 bucket naming rules (Amazon S3 User Guide): 3-63 of a-z 0-9 . -, letter or digit at both ends.
S3BucketName = identifier(
    r"(?!\d+\.\d+\.\d+\.\d+$)(?!xn--)[a-z0-9](?!.*\.\.)[a-z0-9.-]{1,61}[a-z0-9]", "an S3 bucket name"
)
# ELB access log prefix: no leading or trailing "/" and no "AWSLogs" (ELB user guide, access logs).
S3Prefix = identifier(
    r"(?!.*AWSLogs)[!-+\--.0-~]([!-+\--~]{0,1022}[!-+\--.0-~])?",
    "an S3 key prefix without '/' at either end or 'AWSLogs'",
)
# Predefined ELB security policies (ALB/NLB listeners take no custom policy).
SslPolicyName = identifier(
    r"ELBSecurityPolicy-[A-Za-z0-9-]{1,110}",
    "an ELB security policy like ELBSecurityPolicy-TLS13-1-2-2021-06",
)
LoadBalancerName = identifier(
    r"(?!internal-)[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?",
    "a load balancer name (at most 32 letters, digits and '-', not at either end, not internal-…)",
)
WafName = identifier(r"[A-Za-z0-9_-]{1,128}", "a WAFv2 web ACL name (letters, digits, '_' and '-')")
Wafv2AclArn = identifier(
    r"none|arn:aws[a-z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:regional/webacl/[A-Za-z0-9_-]{1,128}/[0-9a-f-]{36}",
    "a regional WAFv2 web ACL ARN (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID) or none",
    max_length=2048,
)


def arn_region_problem(arn: str, region: str) -> str | None:
    """Why the regional ARN ``arn`` cannot serve ``region`` (another partition or region), or None."""
    parts = arn.split(":")
    if len(parts) < 4:
        return None
    partition, arn_region = parts[1], parts[3]
    if partition != aws_partition(region):
        return f"is in partition {partition}, but region {region} is in {aws_partition(region)}"
    if arn_region != region:
        return f"is in region {arn_region}, not the cluster's region {region}"
    return None


# Numbers: YAML integers only (``3.0`` and ``1e80`` are refused, not truncated), in the Kubernetes
# field's range (int32 for replicas, sizes and counts).
Port = Annotated[int, Strict(), Field(ge=1, le=65535)]
Count = Annotated[int, Strict(), Field(ge=0, le=INT32_MAX)]
PositiveCount = Annotated[int, Strict(), Field(ge=1, le=INT32_MAX)]


def version_tuple(version: str) -> tuple[int, int, int]:
    match = _RELEASE.fullmatch(version)
    if match is None:
        raise ValueError(f"{shown(version)} is not a release version like v2.14.0")
    major, minor, patch = (int(group) for group in match.groups())
    return major, minor, patch


def host_in_domain(host: str, domain: str) -> bool:
    """True when ``host`` equals ``domain`` or is below it (ExternalDNS domainFilter semantics)."""
    host, domain = host.removeprefix("*."), domain.lower().removesuffix(".").removeprefix(".")
    return host == domain or host.endswith("." + domain)
