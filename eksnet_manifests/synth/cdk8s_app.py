"""cdk8s synthesis: one Chart per app plus one per shared platform file.

Builders produce plain dicts (pure and fast); this module hands them to cdk8s in as few jsii
calls as possible, because every call crosses into the Node.js process. It is imported only
when manifests are built, so other commands start without Node.js.
"""

from __future__ import annotations

import os

# jsii starts its Node.js process on import; Node 20 works but is past jsii's support window.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from collections import Counter
from collections.abc import Sequence

import cdk8s
from constructs import Construct

from eksnet_manifests.synth.chart import ChartPlan, Manifest

_HEAD = ("apiVersion", "kind", "metadata")


class ObjectsConstruct(Construct):
    """Owns L1 ``ApiObject`` children built from complete manifests."""

    def __init__(self, scope: Construct, construct_id: str, objects: Sequence[Manifest]) -> None:
        super().__init__(scope, construct_id)
        kinds = Counter(obj["kind"] for obj in objects)
        for obj in objects:
            child_id = obj["kind"] if kinds[obj["kind"]] == 1 else f"{obj['kind']}-{obj['metadata']['name']}"
            api_object = cdk8s.ApiObject(
                self, child_id, api_version=obj["apiVersion"], kind=obj["kind"], metadata=obj["metadata"]
            )
            body = [cdk8s.JsonPatch.add(f"/{key}", value) for key, value in obj.items() if key not in _HEAD]
            if body:
                api_object.add_json_patch(*body)


def synthesize(plans: Sequence[ChartPlan]) -> list[list[Manifest]]:
    """The manifests of each chart, in the order of ``plans``."""
    app = cdk8s.App()
    charts = []
    for plan in plans:
        chart = cdk8s.Chart(app, plan.chart_id, disable_resource_name_hashes=True)
        for construct in plan.constructs:
            ObjectsConstruct(chart, construct.construct_id, construct.objects)
        charts.append(chart)
    return [list(chart.to_json()) for chart in charts]
