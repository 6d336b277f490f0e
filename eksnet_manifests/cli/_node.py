"""Node.js, which cdk8s runs on: found before eksnet needs it, with what to install when it is not."""

from __future__ import annotations

import os
import shutil

from eksnet_manifests.errors import EksnetError, Location


def node_problem() -> str | None:
    """Why cdk8s cannot start here, or None. jsii runs ``$JSII_NODE``, else ``node`` from PATH."""
    node = os.environ.get("JSII_NODE", "node")
    if shutil.which(node) is not None:
        return None
    where = "JSII_NODE" if "JSII_NODE" in os.environ else "PATH"
    return (
        f"Node.js ({node!r}) not found on {where}: eksnet gen synthesises with cdk8s, which runs on Node.js; "
        "install Node.js 18 or newer (e.g. `apt-get install nodejs`, `brew install node`) and run again"
    )


def require_node() -> None:
    problem = node_problem()
    if problem is not None:
        raise EksnetError(problem, Location())
