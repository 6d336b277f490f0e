"""Work split over forked processes gives what one process gives, and only forks when that is safe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from eksnet_manifests.check.parallel import map_forked, split_evenly

REPO = Path(__file__).resolve().parents[2]


def _run_alone(script: str, *args: str) -> str:
    """``script`` in a new Python process, where no other thread runs (so fork is allowed)."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return done.stdout


@pytest.mark.skipif(sys.platform != "linux", reason="eksnet forks workers on Linux only")
def test_tasks_run_in_forked_processes_and_come_back_in_order() -> None:
    # GIVEN a process with one thread; WHEN four tasks are mapped
    out = _run_alone(
        """
        import json, os
        from eksnet_manifests.check.parallel import map_forked
        data = list(range(100))  # inherited by the workers, never sent to them
        done = map_forked(lambda i: (sum(data[i::4]), os.getpid()), 4)
        print(json.dumps({"here": os.getpid(), "done": done}))
        """
    )
    result = json.loads(out)
    # THEN the results are in task order, the first task ran here and the others elsewhere
    assert [total for total, _ in result["done"]] == [sum(range(100)[i::4]) for i in range(4)]
    pids = [pid for _, pid in result["done"]]
    assert pids[0] == result["here"]
    assert result["here"] not in pids[1:]


def test_with_another_thread_running_every_task_runs_here() -> None:
    # GIVEN another thread alive (as jsii's reader is in gen): a forked child could inherit its locks held
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        # WHEN tasks are mapped; THEN all of them run in this process, in order
        assert map_forked(lambda i: (i, os.getpid()), 3) == [(i, os.getpid()) for i in range(3)]
    finally:
        release.set()
        other.join()


@pytest.mark.parametrize(
    ("weights", "parts", "expected"),
    [
        ([1, 1, 1, 1], 2, [range(0, 2), range(2, 4)]),
        ([5, 1, 1, 1, 1, 1], 2, [range(0, 1), range(1, 6)]),
        ([1, 1, 1], 1, [range(0, 3)]),
        ([1, 1], 5, [range(0, 1), range(1, 2)]),
        ([], 2, []),
        ([0, 0], 2, [range(0, 2)]),
    ],
    ids=["even", "heavy-first", "one-part", "more-parts-than-items", "nothing", "no-weight"],
)
def test_split_evenly_covers_every_index_once_in_order(
    weights: list[int], parts: int, expected: list[range]
) -> None:
    assert split_evenly(weights, parts) == expected
    assert [index for part in split_evenly(weights, parts) for index in part] == list(range(len(weights)))


CORPUS_CHECK = """
import json, sys
from pathlib import Path
from eksnet_manifests.check import documents, validate
from eksnet_manifests.check import lint
from eksnet_manifests.check.parallel import can_fork
from eksnet_manifests.check.validate import ValidateOptions, validate_paths

# thresholds low enough for this small corpus to be split
documents.PARALLEL_FROM = validate.PARALLEL_FROM = lint.PARALLEL_FROM = 1
folder = Path(sys.argv[1])
runs = [validate_paths([folder], ValidateOptions(), workers=workers) for workers in (1, 2)]
print(json.dumps({
    "forks": can_fork(),
    "same": runs[0] == runs[1],
    "rules": sorted({finding.rule for finding in runs[0].findings}),
    "objects": runs[0].checked.objects,
}))
"""

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {{name: web-{i}, namespace: team}}
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: web-{i}}}}}
  template:
    metadata: {{labels: {{app: web-{i}}}}}
    spec: {{containers: [{{name: web, image: nginx}}]}}
---
apiVersion: v1
kind: Service
metadata: {{name: web-{i}, namespace: team}}
spec:
  selector: {{app: web-{i}}}
  ports: [{{port: 80, targetPort: 8080}}]
"""


@pytest.mark.skipif(sys.platform != "linux", reason="eksnet forks workers on Linux only")
def test_validation_in_two_processes_finds_what_one_finds(tmp_path: Path) -> None:
    # GIVEN files with a schema error, a duplicate key, a syntax error and a lint finding among valid ones
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "namespace.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n")
    for i in range(12):
        (corpus / f"app-{i:02}.yaml").write_text(DEPLOYMENT.format(i=i, replicas='"two"' if i == 3 else 2))
    (corpus / "app-07.yaml").write_text(
        (corpus / "app-07.yaml").read_text().replace("replicas: 2", "replicas: 2\n  replicas: 3")
    )
    (corpus / "broken.yaml").write_text("kind: [\n")
    (corpus / "ingress.yaml").write_text(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web, namespace: team}\n"
        "spec:\n  rules:\n  - http:\n      paths:\n      - {path: /, pathType: Prefix, "
        "backend: {service: {name: missing, port: {number: 80}}}}\n"
    )
    # WHEN the same files are validated by one process and by two
    result = json.loads(_run_alone(CORPUS_CHECK, str(corpus)))
    # THEN the findings, files, objects and notes are the same, and every kind of finding is there
    assert result["forks"] is True
    assert result["same"] is True
    assert result["objects"] == 26
    assert {"duplicate-key", "yaml-syntax", "schema", "backend-service-missing"} <= set(result["rules"])
