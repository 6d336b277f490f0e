"""`eksnet gen all` and `eksnet gen app`: thin wrappers around eksnet_manifests.generate."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Annotated

import typer

from eksnet_manifests.cli._boundary import CommandGroup, echo, echo_err
from eksnet_manifests.cli._node import require_node
from eksnet_manifests.cli._profile import PROFILE_HELP, load_cli_profile
from eksnet_manifests.cli.policy_source import load_lbc_policy
from eksnet_manifests.errors import Location, SpecError
from eksnet_manifests.files import StagedFile
from eksnet_manifests.generate import GenOptions, GenResult, generate
from eksnet_manifests.profile.edit import AppOptions, stage_app, with_app
from eksnet_manifests.profile.load import LoadedProfile

gen_app = typer.Typer(
    cls=CommandGroup, no_args_is_help=True, help="Render manifests and Helm values into out/<cluster>/."
)

ProfileOption = Annotated[
    Path | None,
    typer.Option("--profile", "-p", help=PROFILE_HELP),
]
OutOption = Annotated[
    Path, typer.Option("--out", "-o", help="Output folder; the cluster's tree goes to OUT/<cluster>/.")
]
CheckOption = Annotated[
    bool, typer.Option("--check", help="Write nothing; exit 1 if out/ differs from the profile.")
]
CrdsOption = Annotated[
    list[str] | None,
    typer.Option("--crds", help="CRD file, folder or URL to schema-check custom resources (repeatable)."),
]


@gen_app.command("all")
def gen_all(
    profile: Annotated[
        list[Path] | None,
        typer.Option(
            "--profile",
            "-p",
            help=f"Repeatable. {PROFILE_HELP}",
        ),
    ] = None,
    out: OutOption = Path("out"),
    check: CheckOption = False,
    crds: CrdsOption = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Clusters generated in parallel.")] = 1,
) -> None:
    """Render everything the profiles declare; files no longer declared are removed."""
    require_node()
    paths: list[Path | None] = list(profile or [None])
    parallel = jobs > 1 and len(paths) > 1
    loaded = [load_cli_profile(path) for path in paths]  # every profile is valid before anything is written
    if len({item.profile.cluster.name for item in loaded}) < len(loaded):
        raise SpecError(
            "two profiles name the same cluster; each writes OUT/<cluster>/", Location("--profile")
        )
    if parallel:
        # spawn, not fork: a forked worker would share this process's jsii pipes to Node.js
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=spawn) as pool:
            requests = [(path, out, check, tuple(crds or ())) for path in paths]
            results = list(pool.map(_generate_profile, *zip(*requests, strict=True)))
    else:
        results = [generate(item, _options(item, out, check, crds)) for item in loaded]
    raise typer.Exit(max(_report(result, check) for result in results))


def _generate_profile(path: Path | None, out: Path, check: bool, crds: tuple[str, ...]) -> GenResult:
    """One cluster's generation; a top-level function so worker processes can run it."""
    from eksnet_manifests.profile.load import load_profile

    loaded = load_profile(path)
    return generate(loaded, _options(loaded, out, check, list(crds)))


@gen_app.command("app")
def gen_one_app(
    name: Annotated[str | None, typer.Argument(help="App name (default: the first label of --host).")] = None,
    expose: Annotated[
        str | None, typer.Option("--expose", "-e", help="How to reach the app: nlb, alb, gateway or none.")
    ] = None,
    host: Annotated[
        list[str] | None, typer.Option("--host", help="DNS name for the app (repeatable).")
    ] = None,
    image: Annotated[
        str | None, typer.Option(help="Container image (default: the profile's defaults.image).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Container port (default: defaults.port).")] = None,
    service_port: Annotated[
        int | None, typer.Option(help="Service port (default: defaults.servicePort).")
    ] = None,
    namespace: Annotated[str | None, typer.Option(help="Namespace (default: defaults.namespace).")] = None,
    replicas: Annotated[int | None, typer.Option(help="Replicas (default: defaults.replicas).")] = None,
    scheme: Annotated[
        str | None, typer.Option("--scheme", help="nlb, alb: internet-facing or internal.")
    ] = None,
    path: Annotated[
        str | None, typer.Option("--path", help="alb, gateway: path prefix routed to the app.")
    ] = None,
    https: Annotated[
        bool | None, typer.Option("--https/--no-https", help="nlb, alb: add an HTTPS listener on 443.")
    ] = None,
    certificate_arn: Annotated[
        list[str] | None,
        typer.Option("--certificate-arn", help="nlb, alb: ACM certificate ARN for HTTPS (repeatable)."),
    ] = None,
    ttl: Annotated[int | None, typer.Option("--ttl", help="Route 53 record TTL in seconds.")] = None,
    section: Annotated[
        str | None,
        typer.Option("--section", help="gateway: listener to attach to (the shared Gateway: http or https)."),
    ] = None,
    gateway: Annotated[
        str | None,
        typer.Option(
            "--gateway", help="gateway: a Gateway of gatewayApi.gateways (default: the shared one)."
        ),
    ] = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save", help="Record the app in the profile (./eksnet.yaml for the bundled one), with out/."
        ),
    ] = False,
    profile: ProfileOption = None,
    out: OutOption = Path("out"),
    check: CheckOption = False,
    crds: CrdsOption = None,
) -> None:
    """Render one app plus the platform objects and Helm values it needs; options merge into the app."""
    require_node()
    loaded = load_cli_profile(profile)
    options = AppOptions(
        name,
        expose,
        tuple(host or ()),
        image,
        port,
        service_port,
        namespace,
        replicas,
        scheme=scheme,
        path=path,
        https=https,
        certificate_arns=tuple(certificate_arn or ()),
        ttl=ttl,
        section=section,
        gateway=gateway,
    )
    edited = with_app(loaded, options)
    for note in edited.notes:
        echo_err(f"note: {note}")
    staged = stage_app(loaded, edited.app) if save and not check else None
    try:
        updated = LoadedProfile(edited.profile, loaded.source, loaded.path)
        gen_options = _options(updated, out, check, crds, together_with=(staged,) if staged else ())
        code = _report(generate(updated, gen_options, only_app=edited.app.name), check)
    finally:
        if staged is not None:
            staged.discard()
    if staged is not None and staged.committed:
        echo(f"saved app {edited.app.name!r} to {staged.target}")
    elif staged is not None:
        echo_err(f"not saved: {staged.target} was left as it was")
    raise typer.Exit(code)


def _options(
    loaded: LoadedProfile,
    out: Path,
    check: bool,
    crds: list[str] | None,
    *,
    together_with: tuple[StagedFile, ...] = (),
) -> GenOptions:
    # The LBC policy is read only when the profile names one, so output never depends on the network.
    policy = load_lbc_policy(loaded) if loaded.profile.load_balancer_controller.iam_policy else None
    return GenOptions(
        out=out,
        check_only=check,
        crd_sources=tuple(crds or ()),
        lbc_policy=policy,
        together_with=together_with,
        on_wait=echo_err,
    )


def _report(result: GenResult, check: bool) -> int:
    for finding in result.findings:
        echo_err(finding.to_text())
    for note in result.notes:
        echo_err(f"note: {note}")
    if result.failed:
        echo_err(f"not written: {result.cluster_dir} has validation errors")
        return 1
    for line in result.change.lines():
        echo(line)
    if check:
        return 1 if result.change.drift else 0
    summary = "written" if result.written else "unchanged"
    echo(f"{result.cluster_dir}: {summary}")
    return 0
