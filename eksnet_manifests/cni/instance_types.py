"""Built-in ENI limits, vCPUs and hypervisor of common EC2 instance families.

Source: Amazon EC2 User Guide, "Maximum IP addresses per network interface" (network specifications
per instance type: default network card's interfaces and IPv4 addresses per interface), "Amazon EC2
instance type specifications" (default vCPUs) and "Instances built on the AWS Nitro System"
(hypervisor), as published in 2025. The ENI and address columns are checked in tests against
awslabs/amazon-eks-ami v20260724 ``instance-info.jsonl`` and amazon-vpc-cni-k8s v1.23.0
``eni-max-pods.txt``; vCPUs and the hypervisor are not in those files, which is why this table
exists. For other types, pass an instance-info.jsonl file or use the EC2 API.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from eksnet_manifests.cni.max_pods import InstanceLimits

Row = tuple[str, int, int, int]
"""(size, default vCPUs, ENIs on the default card, IPv4 addresses per ENI)"""

_T3: tuple[Row, ...] = (
    ("nano", 2, 2, 2),
    ("micro", 2, 2, 2),
    ("small", 2, 3, 4),
    ("medium", 2, 3, 6),
    ("large", 2, 3, 12),
    ("xlarge", 4, 4, 15),
    ("2xlarge", 8, 4, 15),
)
# t3a.small has one interface fewer than t3.small.
_T3A: tuple[Row, ...] = tuple(("small", 2, 2, 4) if row[0] == "small" else row for row in _T3)
_T2: tuple[Row, ...] = (
    ("nano", 1, 2, 2),
    ("micro", 1, 2, 2),
    ("small", 1, 3, 4),
    ("medium", 2, 3, 6),
    ("large", 2, 3, 12),
    ("xlarge", 4, 3, 15),
    ("2xlarge", 8, 3, 15),
)
_M4: tuple[Row, ...] = (
    ("large", 2, 2, 10),
    ("xlarge", 4, 4, 15),
    ("2xlarge", 8, 4, 15),
    ("4xlarge", 16, 8, 30),
    ("10xlarge", 40, 8, 30),
    ("16xlarge", 64, 8, 30),
)
_M5_R5: tuple[Row, ...] = (
    ("large", 2, 3, 10),
    ("xlarge", 4, 4, 15),
    ("2xlarge", 8, 4, 15),
    ("4xlarge", 16, 8, 30),
    ("8xlarge", 32, 8, 30),
    ("12xlarge", 48, 8, 30),
    ("16xlarge", 64, 15, 50),
    ("24xlarge", 96, 15, 50),
    ("metal", 96, 15, 50),
)
_C5: tuple[Row, ...] = (
    ("large", 2, 3, 10),
    ("xlarge", 4, 4, 15),
    ("2xlarge", 8, 4, 15),
    ("4xlarge", 16, 8, 30),
    ("9xlarge", 36, 8, 30),
    ("12xlarge", 48, 8, 30),
    ("18xlarge", 72, 15, 50),
    ("24xlarge", 96, 15, 50),
    ("metal", 96, 15, 50),
)
_INTEL_6I: tuple[Row, ...] = (
    ("large", 2, 3, 10),
    ("xlarge", 4, 4, 15),
    ("2xlarge", 8, 4, 15),
    ("4xlarge", 16, 8, 30),
    ("8xlarge", 32, 8, 30),
    ("12xlarge", 48, 8, 30),
    ("16xlarge", 64, 15, 50),
    ("24xlarge", 96, 15, 50),
    ("32xlarge", 128, 15, 50),
    ("metal", 128, 15, 50),
)
_INTEL_7I: tuple[Row, ...] = (
    ("large", 2, 3, 10),
    ("xlarge", 4, 4, 15),
    ("2xlarge", 8, 4, 15),
    ("4xlarge", 16, 8, 30),
    ("8xlarge", 32, 8, 30),
    ("12xlarge", 48, 8, 30),
    ("16xlarge", 64, 15, 50),
    ("24xlarge", 96, 15, 50),
    ("48xlarge", 192, 15, 50),
    ("metal-24xl", 96, 15, 50),
    ("metal-48xl", 192, 15, 50),
)
_GRAVITON: tuple[Row, ...] = (
    ("medium", 1, 2, 4),
    ("large", 2, 3, 10),
    ("xlarge", 4, 4, 15),
    ("2xlarge", 8, 4, 15),
    ("4xlarge", 16, 8, 30),
    ("8xlarge", 32, 8, 30),
    ("12xlarge", 48, 8, 30),
    ("16xlarge", 64, 15, 50),
    ("metal", 64, 15, 50),
)

# family -> (sizes, built on Nitro). t2 and m4 run on Xen: common in labs, and prefix delegation fails there.
_FAMILIES: dict[str, tuple[tuple[Row, ...], bool]] = {
    "t2": (_T2, False),
    "t3": (_T3, True),
    "t3a": (_T3A, True),
    "t4g": (_T3, True),
    "m4": (_M4, False),
    "m5": (_M5_R5, True),
    "r5": (_M5_R5, True),
    "c5": (_C5, True),
    "m6i": (_INTEL_6I, True),
    "c6i": (_INTEL_6I, True),
    "r6i": (_INTEL_6I, True),
    "m7i": (_INTEL_7I, True),
    "c7i": (_INTEL_7I, True),
    "m6g": (_GRAVITON, True),
    "c6g": (_GRAVITON, True),
    "r6g": (_GRAVITON, True),
    "m7g": (_GRAVITON, True),
    "c7g": (_GRAVITON, True),
    "r7g": (_GRAVITON, True),
}

BUILTIN_INSTANCE_TYPES: Mapping[str, InstanceLimits] = MappingProxyType(
    {
        f"{family}.{size}": InstanceLimits(f"{family}.{size}", enis, ips, vcpus, nitro)
        for family, (rows, nitro) in sorted(_FAMILIES.items())
        for size, vcpus, enis, ips in rows
    }
)


def builtin_families() -> tuple[str, ...]:
    return tuple(sorted(_FAMILIES))


def family_of(instance_type: str) -> str:
    return instance_type.split(".", 1)[0]


def family_sizes(family: str) -> tuple[InstanceLimits, ...]:
    """The built-in sizes of ``family``, smallest pod capacity first (empty for unknown families)."""
    sizes = [limits for name, limits in BUILTIN_INSTANCE_TYPES.items() if family_of(name) == family]
    return tuple(
        sorted(sizes, key=lambda limits: (limits.max_enis * (limits.ipv4_per_eni - 1), limits.vcpus))
    )
