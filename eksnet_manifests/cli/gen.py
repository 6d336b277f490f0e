"""`eksnet gen all` and `eksnet gen app`: thin wrappers around eksnet_manifests.generate."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from eksnet_manifests.check.findings import Severity
from eksnet_manifests.check.parallel import usable_cores
from eksnet_manifests.cli._boundary import CommandGroup, echo, echo_err
from eksnet_manifests.cli._jobs import jobs_option
from eksnet_manifests.cli._node import require_node
from eksnet_manifests.cli._output import Progress, colour_on, echo_changes, echo_diff
from eksnet_manifests.cli._profile import PROFILE_HELP, load_cli_profile
from eksnet_manifests.errors import Location, SpecError
from eksnet_manifests.profile.discovery import find_profile
from eksnet_manifests.rerun import Before, RunRequest, record_result, unchanged_result

if TYPE_CHECKING:
    from eksnet_manifests.files import StagedFile
    from eksnet_manifests.generate import GenOptions
    from eksnet_manifests.profile.load import LoadedProfile
    from eksnet_manifests.results import GenResult

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
    bool,
    typer.Option("--check", help="Write nothing; print the diff, exit 1 if out/ differs from the profile."),
]
DiffOption = Annotated[bool, typer.Option("--diff", help="Print a unified diff of what changes.")]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print only errors; the exit code tells the rest.")
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
    jobs: Annotated[int | None, jobs_option("Clusters generated at once")] = None,
    diff: DiffOption = False,
    quiet: QuietOption = False,
) -> None:
    """Render everything the profiles declare; files eksnet wrote that are no longer declared are removed."""
    paths: list[Path | None] = list(profile or [None])
    requests = [_run_request(path, out, crds) for path in paths]
    # A profile whose inputs and tree are as the last run left them gets that run's answer (rerun.py).
    unchanged = [unchanged_result(request, echo_err) if request else None for request in requests]
    if not all(unchanged):
        require_node()
        from eksnet_manifests.synth.chart import start_synthesizer

        start_synthesizer()  # Node.js starts while the profiles load
    # every profile is valid before anything is written
    loaded = {
        index: load_cli_profile(path, quiet=quiet) for index, path in enumerate(paths) if not unchanged[index]
    }
    clusters = [
        known.cluster_dir.name if known else loaded[index].profile.cluster.name
        for index, known in enumerate(unchanged)
    ]
    if len(set(clusters)) < len(clusters):
        raise SpecError(
            "two profiles name the same cluster; each writes OUT/<cluster>/", Location("--profile")
        )
    show = Shown(check=check, diff=diff or check, quiet=quiet)
    progress = Progress(len(paths))
    results: dict[int, GenResult] = {index: known for index, known in enumerate(unchanged) if known}
    jobs = jobs or usable_cores()
    if jobs > 1 and len(loaded) > 1:
        results |= _generate_in_threads(loaded, requests, out, check, crds, show.diff, jobs, progress)
    else:
        for index, item in loaded.items():
            progress.step(item.profile.cluster.name)
            results[index] = _generate_recorded(item, requests[index], out, check, crds, show.diff)
    progress.close()
    raise typer.Exit(max(_report(results[index], show) for index in range(len(paths))))


def _generate_in_threads(
    loaded: dict[int, LoadedProfile],
    requests: list[RunRequest | None],
    out: Path,
    check: bool,
    crds: list[str] | None,
    diff: bool,
    jobs: int,
    progress: Progress,
) -> dict[int, GenResult]:
    """``jobs`` clusters at a time in this process: they share its imports, parsed CRDs and one Node.js,
    and while one waits on cdk8s (one thread at a time calls into Node.js) another is checked and
    written. Processes would each import eksnet, start Node.js and read the CRDs again, which on two
    cores costs more than it gains. Once an error is seen, clusters not yet started are dropped."""
    with ThreadPoolExecutor(max_workers=min(jobs, len(loaded))) as pool:
        futures = {
            pool.submit(_generate_recorded, item, requests[index], out, check, crds, diff): index
            for index, item in loaded.items()
        }
        try:
            for future in as_completed(futures):
                progress.step(loaded[futures[future]].profile.cluster.name)
                future.result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return {index: future.result() for future, index in futures.items()}


def _run_request(path: Path | None, out: Path, crds: list[str] | None) -> RunRequest | None:
    """What a re-run of ``path`` is recognised by; None for the bundled profile."""
    chosen = path or find_profile()
    return RunRequest(chosen, out, tuple(crds or ())) if chosen is not None else None


def _generate_recorded(
    loaded: LoadedProfile,
    request: RunRequest | None,
    out: Path,
    check: bool,
    crds: list[str] | None,
    diff: bool,
) -> GenResult:
    """One cluster's generation, recorded for the next run of the same profile file."""
    from eksnet_manifests.generate import generate

    before = Before.of(request) if request is not None else None
    result = generate(loaded, _options(loaded, out, check, crds, diff=diff))
    if request is not None and before is not None:
        record_result(request, loaded, result, before)
    return result


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
    diff: DiffOption = False,
    quiet: QuietOption = False,
) -> None:
    """Render one app plus the platform objects and Helm values it needs; options merge into the app."""
    from eksnet_manifests.generate import generate
    from eksnet_manifests.profile.edit import AppOptions, stage_app, with_app
    from eksnet_manifests.profile.load import LoadedProfile

    require_node()
    loaded = load_cli_profile(profile, quiet=quiet)
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
    for note in edited.notes if not quiet else ():
        echo_err(f"note: {note}")
    staged = stage_app(loaded, edited.app) if save and not check else None
    try:
        updated = LoadedProfile(edited.profile, loaded.source, loaded.path)
        show = Shown(check=check, diff=diff or check, quiet=quiet)
        gen_options = _options(
            updated, out, check, crds, together_with=(staged,) if staged else (), diff=show.diff
        )
        code = _report(generate(updated, gen_options, only_app=edited.app.name), show)
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
    diff: bool = False,
) -> GenOptions:
    from eksnet_manifests.cli.policy_source import load_lbc_policy
    from eksnet_manifests.generate import GenOptions

    # The LBC policy is read only when the profile names one, so output never depends on the network.
    policy = load_lbc_policy(loaded) if loaded.profile.load_balancer_controller.iam_policy else None
    return GenOptions(
        out=out,
        check_only=check,
        crd_sources=tuple(crds or ()),
        lbc_policy=policy,
        together_with=together_with,
        on_wait=echo_err,
        diff=diff,
    )


@dataclass(frozen=True)
class Shown:
    """What a gen run prints: ``check`` writes nothing, ``diff`` adds the unified diff, ``quiet`` only
    errors."""

    check: bool = False
    diff: bool = False
    quiet: bool = False


def _report(result: GenResult, show: Shown) -> int:
    for finding in result.findings:
        if not show.quiet or finding.severity is Severity.ERROR:
            echo_err(finding.to_text())
    for note in [*result.notes, *result.recovered] if not show.quiet else ():
        echo_err(f"note: {note}")
    if result.failed:
        echo_err(f"not written: {result.cluster_dir} has validation errors")
        return 1
    code = 1 if show.check and result.change.drift else 0
    if show.quiet:
        return code
    colour = colour_on(sys.stdout)
    echo_changes(result.change.lines(), colour=colour)
    if show.diff:
        echo_diff(result.diff, colour=colour)
    if show.check:
        state = "would change" if result.change.drift else "up to date"
    else:
        state = "written" if result.written else "unchanged"
    echo(f"{result.cluster_dir}: {state} ({result.change.summary()})")
    return code
