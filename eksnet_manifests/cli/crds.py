"""`eksnet crds fetch|import|list`: the local cache of the CRDs of pinned releases."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from eksnet_manifests.cli._boundary import CommandGroup, echo
from eksnet_manifests.cli._profile import PROFILE_HELP, load_cli_profile

crds_app = typer.Typer(
    cls=CommandGroup,
    no_args_is_help=True,
    help="Cache the CRDs of the pinned Gateway API, LBC and GitOps engine releases (gen and validate check "
    "against them).",
)


@crds_app.command("fetch")
def fetch_command(
    profile: Annotated[
        Path | None,
        typer.Option("--profile", "-p", help=PROFILE_HELP),
    ] = None,
    gateway_api: Annotated[
        str | None, typer.Option("--gateway-api", help="Gateway API release instead of the profile's.")
    ] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="Gateway API channel: standard or experimental.")
    ] = None,
    lbc: Annotated[
        str | None,
        typer.Option("--lbc", help="AWS Load Balancer Controller release instead of the profile's."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Download even what is cached already.")] = False,
) -> None:
    """Download the release files of the pinned releases (and the profile's GitOps engine) and cache their
    CRDs."""
    from eksnet_manifests.check.schema.crd_cache import CrdCache, fetch_crd_set, pinned_crd_sets

    pins = load_cli_profile(profile).profile.pins()
    pins = replace(
        pins,
        gateway_api=gateway_api or pins.gateway_api,
        channel=channel or pins.channel,
        lbc=lbc or pins.lbc,
    )
    cache = CrdCache.default()
    for crd_set in pinned_crd_sets(pins):
        if not force and cache.load(crd_set) is not None:
            echo(f"{crd_set.label}: cached at {cache.path(crd_set)}")
            continue
        path, count = fetch_crd_set(crd_set, cache)
        echo(f"{crd_set.label}: {count} CRDs -> {path}")


@crds_app.command("import")
def import_command(
    folder: Annotated[
        Path, typer.Argument(help="Folder of CRD files (e.g. release files downloaded elsewhere).")
    ],
    lbc_version: Annotated[
        str | None,
        typer.Option(
            "--lbc-version", help="LBC release of the LBC CRDs found (default: a vX.Y.Z folder name)."
        ),
    ] = None,
    argocd_version: Annotated[
        str | None,
        typer.Option(
            "--argocd-version", help="Argo CD release of the Argo CD CRDs found (default: a vX.Y.Z folder)."
        ),
    ] = None,
    flux_version: Annotated[
        str | None,
        typer.Option(
            "--flux-version",
            help="Flux release of the Flux CRDs found (default: their app.kubernetes.io/version label).",
        ),
    ] = None,
) -> None:
    """Cache CRDs from local files, for machines without network."""
    from eksnet_manifests.check.schema.crd_cache import ARGO_CD, FLUX, CrdCache, import_folder

    given = {ARGO_CD: argocd_version, FLUX: flux_version}
    versions = {product: version for product, version in given.items() if version}
    for imported in import_folder(folder, CrdCache.default(), lbc_version, versions):
        missing = f"; missing {', '.join(imported.missing_kinds)}" if imported.missing_kinds else ""
        echo(f"{imported.crd_set.label}: {imported.crds} CRDs -> {imported.path}{missing}")


@crds_app.command("list")
def list_command() -> None:
    """What the cache holds."""
    from eksnet_manifests.check.schema.crd_cache import CrdCache

    cache = CrdCache.default()
    echo(f"CRD cache: {cache.root}")
    for crd_set, count in cache.entries():
        echo(f"{crd_set.label}: {count} CRDs")
