"""Text, Markdown and JSON renderings of the capacity plan."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from eksnet_manifests.cni.plan import plan_capacity
from eksnet_manifests.cni.plan_report import plan_to_data, render_markdown, render_text
from eksnet_manifests.profile.profile import Profile

# The Mermaid subset the report writes, line by line (xychart-beta and pie grammars of Mermaid 11).
_QUOTED = r'"[^"\n]*"'
_MERMAID_LINES = {
    "xychart-beta": [
        rf"^    title {_QUOTED}$",
        rf"^    x-axis \[{_QUOTED}(, {_QUOTED})*\]$",
        rf"^    y-axis {_QUOTED} \d+ --> \d+$",
        r"^    bar \[\d+(, \d+)*\]$",
    ],
    "pie": [rf"^    {_QUOTED} : \d+$"],
}


def mermaid_blocks(markdown: str) -> list[list[str]]:
    return [block.splitlines() for block in re.findall(r"```mermaid\n(.*?)```", markdown, re.DOTALL)]


@pytest.mark.parametrize("mode", ["secondary-ip", "prefix-delegation"])
def test_markdown_charts_use_valid_mermaid_syntax(lab_profile: Callable[..., Profile], mode: str) -> None:
    # GIVEN the lab plan in either mode; WHEN rendered as Markdown
    blocks = mermaid_blocks(render_markdown(plan_capacity(lab_profile(mode=mode))))
    # THEN there is a bar chart and a pie, and every line follows the diagram's grammar
    assert [block[0].split()[0] for block in blocks] == ["xychart-beta", "pie"]
    for header, *body in blocks:
        kind = header.split()[0]
        if kind == "pie":
            assert re.match(r"^pie showData title [^\"\n]+$", header)
        patterns = _MERMAID_LINES[kind]
        assert all(any(re.match(p, line) for p in patterns) for line in body), body


def test_bar_chart_shows_requested_slots_and_each_suggestion(lab_profile: Callable[..., Profile]) -> None:
    plan = plan_capacity(lab_profile())
    (chart, _pie) = mermaid_blocks(render_markdown(plan))
    bars = [int(value) for value in re.findall(r"\d+", chart[-1])]
    assert bars == [plan.demand, plan.slots, *(s.slots for s in plan.suggestions)]
    top = int(re.search(r"--> (\d+)", chart[3]).group(1))
    assert top >= max(bars)


def test_text_lists_suggestions_with_their_companion_edits(lab_profile: Callable[..., Profile]) -> None:
    text = render_text(plan_capacity(lab_profile(node_group={"maxSize": 3})))
    assert "nodeGroups[0].desiredSize: 4 and nodeGroups[0].maxSize: 4" in text
    assert "vpcCni.mode: prefix-delegation" in text


def test_json_data_is_serialisable_and_complete(lab_profile: Callable[..., Profile]) -> None:
    plan = plan_capacity(lab_profile())
    data = json.loads(json.dumps(plan_to_data(plan)))
    assert (data["fits"], data["podSlots"], data["podsRequested"]) == (False, 45, 55)
    assert data["nodeGroups"][0]["kubeletMaxPods"] == 17
    assert data["suggestions"][0]["changes"] == [{"field": "vpcCni.mode", "value": "prefix-delegation"}]


def test_rendering_is_deterministic(lab_profile: Callable[..., Profile]) -> None:
    profile = lab_profile(mode="prefix-delegation")
    assert render_markdown(plan_capacity(profile)) == render_markdown(
        plan_capacity(lab_profile(mode="prefix-delegation"))
    )
    assert render_text(plan_capacity(profile)) == render_text(plan_capacity(profile))
