"""cdk8s synthesis: one App and one Chart per cluster, synthesised once.

Builders produce plain dicts (pure and fast); cdk8s turns them into ApiObjects and synthesises the
manifests. Every jsii call crosses into the Node.js process, so the shape is chosen for few calls:

- A cluster is one Chart in its own App: cdk8s resolves and validates the whole App on every
  ``chart.to_json()``, so many charts in one App would synthesise in quadratic time.
- Below ``INCLUDE_FROM`` objects, each becomes an ``ApiObject`` (metadata in the constructor, the
  other fields as JSON patches): three calls per object and no child process.
- From ``INCLUDE_FROM`` objects on, they are written as JSON documents to a private temporary file
  and handed to cdk8s in one ``Include``, which parses them in Node.js and creates the ApiObjects
  there: a fixed cost (cdk8s reads the file through a child process) instead of calls per object.

Either way the chart's children are the same: a construct ``Manifests`` (``Manifests-2``, … when an
include is split) owning one ApiObject per object under the id ``Include`` gives it
(``name-kind-namespace``), and the manifests are the same: cdk8s drops null values of included
objects, and builders never produce one (tested). This module is imported only when manifests are
built, so other commands start without Node.js.
"""

from __future__ import annotations

import json
import os

# jsii starts its Node.js process on import; Node 20 works but is past jsii's support window.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import cdk8s
from constructs import Construct

from eksnet_manifests.synth.chart import ChartPlan, Manifest, object_id

_HEAD = ("apiVersion", "kind", "metadata")
_SEPARATOR = "\n---\n"
INCLUDE_FROM = 100
"""Objects from which one Include is cheaper than an ApiObject each: on the 2-core machine an
ApiObject costs about 1.2 ms, an Include about 130 ms (a Node.js child process) plus 0.5 ms per
object, so they break even between 100 and 150 objects."""
INCLUDE_LIMIT = 10 * 1024 * 1024
"""Bytes cdk8s reads from one included file (MAX_DOWNLOAD_BUFFER in cdk8s 2.70 src/yaml.ts); a
Kubernetes object is far smaller (etcd takes at most 1.5 MiB), so an object always fits."""


_NODE = threading.Lock()
"""Held while a thread talks to Node.js: jsii has one pipe to it, and requests of two threads would mix."""


def synthesize(plan: ChartPlan) -> list[list[Manifest]]:
    """What cdk8s synthesises for each file of ``plan``, in the order of ``plan.files``."""
    with _NODE:
        synthesized = list(build_chart(plan).to_json())
    # cdk8s returns a chart's objects in construct order when none depends on another.
    files, start = [], 0
    for _, group in plan.files:
        files.append(synthesized[start : start + len(group)])
        start += len(group)
    return files


def build_chart(plan: ChartPlan) -> cdk8s.Chart:
    """The cluster's Chart, alone in its App, holding every object of ``plan``."""
    chart = cdk8s.Chart(cdk8s.App(), plan.chart_id, disable_resource_name_hashes=True)
    objects = plan.objects()
    if len(objects) < INCLUDE_FROM:
        _add_api_objects(Construct(chart, "Manifests"), objects)
    else:
        _include(chart, objects)
    return chart


def _add_api_objects(scope: Construct, objects: Sequence[Manifest]) -> None:
    for obj in objects:
        api_object = cdk8s.ApiObject(
            scope, object_id(obj), api_version=obj["apiVersion"], kind=obj["kind"], metadata=obj["metadata"]
        )
        body = [cdk8s.JsonPatch.add(f"/{key}", value) for key, value in obj.items() if key not in _HEAD]
        if body:
            api_object.add_json_patch(*body)


def _include(chart: cdk8s.Chart, objects: Sequence[Manifest]) -> None:
    with tempfile.TemporaryDirectory(prefix="eksnet-cdk8s-") as folder:
        for index, text in enumerate(_documents(objects, INCLUDE_LIMIT)):
            path = Path(folder, f"manifests-{index + 1}.json")
            path.write_text(text, encoding="ascii")
            cdk8s.Include(chart, "Manifests" if index == 0 else f"Manifests-{index + 1}", url=str(path))


def _documents(objects: Sequence[Manifest], limit: int) -> Iterator[str]:
    """Multi-document texts of at most ``limit`` bytes, objects in order.

    JSON is YAML, and ASCII-escaped JSON reads back exactly under the YAML 1.1 schema cdk8s parses
    with: every string is quoted, so nothing turns into a boolean, a number or a merge key.
    """
    chunk: list[str] = []
    size = 0
    for obj in objects:
        text = json.dumps(obj, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
        if chunk and size + len(_SEPARATOR) + len(text) > limit:
            yield _SEPARATOR.join(chunk)
            chunk, size = [], 0
        size += (len(_SEPARATOR) if chunk else 0) + len(text)
        chunk.append(text)
    if chunk:
        yield _SEPARATOR.join(chunk)
