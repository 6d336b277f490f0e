"""One CEL environment for the CEL tests, and evaluation of an expression as a plain value or an error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from eksnet_manifests.check.cel.runtime import new_environment


@pytest.fixture(scope="session")
def env() -> Any:
    return new_environment()


@pytest.fixture(scope="session")
def evaluate(env: Any) -> Callable[..., Any]:
    """``evaluate(expression, self_value)``: the plain result, or ``("error", message)``."""

    def run(expression: str, value: Any = None) -> Any:
        result = env.compile(expression).eval(data={"self": value})
        return result.plain_value() if result.type().name() != "ERROR" else ("error", result.value())

    return run
