"""The README's example profile is a valid profile, so the documentation stays true."""

from __future__ import annotations

import re
from pathlib import Path

from eksnet_manifests.profile.load import parse_profile

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_profile_loads() -> None:
    section = README.read_text().split("## The profile", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert example is not None
    loaded = parse_profile(example.group(1), "README.md")
    assert loaded.profile.apps[0].expose.type == "nlb"
