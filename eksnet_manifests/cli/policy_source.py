"""Reading IAM policy documents: files, URLs, and the LBC policy published per release (cached).

A release's published policy never changes, so it is downloaded once per version and partition into
``<user cache>/eksnet/lbc-iam-policy/<version>/`` (``$XDG_CACHE_HOME`` on Linux). Any other URL is
read fresh each time.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from eksnet_manifests import __version__
from eksnet_manifests.errors import Location, SpecError
from eksnet_manifests.files import read_input
from eksnet_manifests.profile.load import LoadedProfile
from eksnet_manifests.synth.helm import aws_partition
from eksnet_manifests.synth.iam.grammar import check_policy
from eksnet_manifests.synth.iam.lbc_policy import (
    POLICY_FILE_BY_PARTITION,
    PUBLISHED_BASE_URL,
    published_policy_url,
)

CACHE_FOLDER = "lbc-iam-policy"
_VERSION = re.compile(r"^v\d+\.\d+\.\d+$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://")
_TIMEOUT_SECONDS = 30


def policy_cache_dir() -> Path:
    return Path(user_cache_dir("eksnet")) / CACHE_FOLDER


def load_lbc_policy(loaded: LoadedProfile) -> dict[str, Any]:
    """The LBC policy for ``eksnet gen``: ``loadBalancerController.iamPolicy`` when set, else the
    policy published with the pinned ``loadBalancerController.version``.

    A relative iamPolicy path is read from the profile's folder; errors point at the profile field.
    """
    profile = loaded.profile
    controller = profile.load_balancer_controller
    if controller.iam_policy is None:
        return published_policy(controller.version, aws_partition(profile.cluster.region))
    source = controller.iam_policy
    if not _URL.match(source) and loaded.path is not None:
        source = str(loaded.path.parent / source)
    try:
        return read_policy(source)
    except SpecError as exc:
        where = loaded.source.locate(("loadBalancerController", "iamPolicy"))
        raise SpecError(str(exc), where) from None


def resolve_policy(reference: str, partition: str = "aws") -> dict[str, Any]:
    """A release version (``v3.5.0``), a URL or a file path, read as a policy."""
    if _VERSION.match(reference):
        return published_policy(reference, partition)
    return read_policy(reference)


def published_policy(
    version: str, partition: str = "aws", *, cache_dir: Path | None = None, base_url: str = PUBLISHED_BASE_URL
) -> dict[str, Any]:
    """The policy published with controller ``version``, from the cache or downloaded into it."""
    if partition not in POLICY_FILE_BY_PARTITION:
        known = ", ".join(POLICY_FILE_BY_PARTITION)
        raise SpecError(f"unknown AWS partition {partition!r} (one of {known})", Location(field="partition"))
    cached = (cache_dir or policy_cache_dir()) / version / POLICY_FILE_BY_PARTITION[partition]
    if cached.is_file():
        return read_policy(str(cached))
    url = published_policy_url(version, partition, base_url)
    text = _download(url, f"aws-load-balancer-controller {version} publishes no IAM policy at {url}")
    policy = parse_policy(text, url)
    _store(cached, text)
    return policy


def read_policy(source: str) -> dict[str, Any]:
    """A policy from a file path or a URL; SpecError when it cannot be read or is not a valid policy."""
    return parse_policy(read_text(source), source)


def read_text(source: str) -> str:
    """The text of a file path or URL."""
    if _URL.match(source):
        return _download(source, f"cannot read {source}")
    return read_input(Path(source), what="policy")


def parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(f"invalid JSON: {exc.msg}", Location(source, exc.lineno)) from None


def parse_policy(text: str, source: str) -> dict[str, Any]:
    """The policy in ``text``; SpecError on invalid JSON or the first IAM grammar problem."""
    policy = parse_json(text, source)
    problems = check_policy(policy)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise SpecError(f"not an IAM policy: {problems[0]}{more}", Location(source))
    return policy


def _download(url: str, not_found: str) -> str:
    request = urllib.request.Request(url, headers={"User-Agent": f"eksnet/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise SpecError(f"{not_found} (HTTP 404)", Location(url)) from None
        raise SpecError(f"download failed: HTTP {exc.code} {exc.reason}", Location(url)) from None
    except (urllib.error.URLError, OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise SpecError(f"download failed: {reason}", Location(url)) from None


def _store(path: Path, text: str) -> None:
    """Write the cache file atomically; a cache that cannot be written only costs a later download."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, staged = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(staged, path)
    except OSError:
        Path(staged).unlink(missing_ok=True)
