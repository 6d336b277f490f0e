"""A unified diff of what a run changes in a cluster's tree (``gen --diff``, ``gen --check``)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path

from eksnet_manifests.render.ownership import MANIFEST
from eksnet_manifests.render.tree import TreeChange

# A whole new or removed file longer than this (vendored CRDs) is named with its size, not printed.
MAX_WHOLE_FILE_LINES = 200


def tree_diff(cluster_dir: Path, final: Mapping[str, bytes], change: TreeChange) -> list[str]:
    """Diff lines (no newlines) from the tree on disk to ``final``, file by file in path order.

    Read before the tree is written. The manifest is left out: it changes with the files it lists.
    """
    label = cluster_dir.name
    lines: list[str] = []
    for path in sorted({*change.added, *change.changed, *change.removed} - {MANIFEST}):
        old = _text_lines(cluster_dir / path) if path not in change.added else []
        new = final[path].decode("utf-8", "replace").splitlines() if path in final else []
        old_name = f"a/{label}/{path}" if path not in change.added else "/dev/null"
        new_name = f"b/{label}/{path}" if path in final else "/dev/null"
        if (not old or not new) and max(len(old), len(new)) > MAX_WHOLE_FILE_LINES:
            what = "new file" if not old else "removed"
            lines += [
                f"--- {old_name}",
                f"+++ {new_name}",
                f"@@ {what}: {max(len(old), len(new)):,} lines @@",
            ]
            continue
        lines += difflib.unified_diff(old, new, old_name, new_name, lineterm="")
    return lines


def _text_lines(path: Path) -> list[str]:
    try:
        return path.read_bytes().decode("utf-8", "replace").splitlines()
    except OSError:
        return []
