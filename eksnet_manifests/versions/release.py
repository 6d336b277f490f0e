"""Release versions as comparable tuples, and fact histories read at a release.

A history is a sequence of ``(release, value)`` pairs, ascending: the value in force at a release is
that of the last entry at or before it. Releases between two table entries get the facts of the
nearest lower known release.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TypeVar

Release = tuple[int, int, int]
T = TypeVar("T")
History = tuple[tuple[str, T], ...]

_RELEASE = re.compile(r"^v(\d+)\.(\d+)\.(\d+)$")


class UnknownRelease(ValueError):
    """A version no table answers for (another major, older than the table, or not a version)."""


@lru_cache(maxsize=1024)  # every annotation and rule asks for the same few releases
def parse_release(version: str) -> Release:
    match = _RELEASE.match(version)
    if match is None:
        raise UnknownRelease(f"{version!r} is not a release version like v2.14.0")
    major, minor, patch = (int(group) for group in match.groups())
    return major, minor, patch


def in_force(history: Sequence[tuple[str, T]], release: str) -> T | None:
    """The value of the last entry at or before ``release``; None before the first entry."""
    wanted = parse_release(release)
    current: T | None = None
    for since, value in history:
        if parse_release(since) <= wanted:
            current = value
    return current


def nearest_known(version: str, releases: Sequence[str], product: str) -> str:
    """``version`` itself when listed, else the nearest lower of ``releases`` (ascending) in its major."""
    wanted = parse_release(version)
    known = [parse_release(release) for release in releases]
    if wanted[0] not in {release[0] for release in known}:
        raise UnknownRelease(
            f"{product} {version}: major version {wanted[0]} is not known to eksnet "
            f"(known releases {releases[0]} to {releases[-1]})"
        )
    if wanted < known[0]:
        raise UnknownRelease(
            f"{product} {version} is older than {releases[0]}, the oldest release eksnet knows"
        )
    return [release for release, parsed in zip(releases, known, strict=True) if parsed <= wanted][-1]


def newest_api_version(versions: Sequence[str]) -> str:
    """The most stable, newest of Kubernetes API versions: v1 > v1beta2 > v1beta1 > v1alpha3 ..."""
    return max(versions, key=api_version_priority)


def api_version_priority(version: str) -> tuple[int, int, int]:
    """Kubernetes version priority: GA above beta above alpha, then by number."""
    match = re.match(r"^v(\d+)(?:(alpha|beta)(\d+))?$", version)
    if match is None:
        return (-1, 0, 0)
    stability = {"alpha": 0, "beta": 1, None: 2}[match.group(2)]
    return (stability, int(match.group(1)), int(match.group(3) or 0))
