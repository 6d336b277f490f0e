"""``eksnet iam``: the LBC policy pinned to a release, what an upgrade changes, and policy checks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from eksnet_manifests.cli._boundary import CommandGroup, echo, echo_err
from eksnet_manifests.cli.policy_source import (
    parse_json,
    published_policy,
    read_policy,
    read_text,
    resolve_policy,
)
from eksnet_manifests.errors import Location, RenderError, SpecError
from eksnet_manifests.synth.iam.grammar import check_policy, check_trust_policy, wildcard_writes
from eksnet_manifests.synth.iam.lbc_policy import POLICY_FILE_BY_PARTITION, diff_actions

iam_app = typer.Typer(
    cls=CommandGroup,
    no_args_is_help=True,
    help="IAM policies of the controllers: the LBC policy of a release, release diffs, policy checks.",
)

Partition = Annotated[
    str, typer.Option("--partition", help=f"AWS partition: {', '.join(POLICY_FILE_BY_PARTITION)}.")
]


@iam_app.command("lbc-policy")
def lbc_policy(
    version: Annotated[
        str | None,
        typer.Option("--version", help="Controller release, e.g. v3.5.0 (downloaded once, then cached)."),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--from", help="Read this policy file or URL instead of the release's.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of standard output.")] = None,
    partition: Partition = "aws",
) -> None:
    """Print or write the AWS Load Balancer Controller IAM policy for a release."""
    if source is not None:
        policy = read_policy(source)
    elif version is not None:
        policy = published_policy(version, partition)
    else:
        raise SpecError("give --version (a controller release such as v3.5.0) or --from FILE_OR_URL")
    _write(_render(policy), out)


@iam_app.command("diff")
def diff(
    old: Annotated[str, typer.Argument(help="Release (v3.1.0), policy file or URL before the upgrade.")],
    new: Annotated[str, typer.Argument(help="Release, policy file or URL after the upgrade.")],
    partition: Partition = "aws",
) -> None:
    """Actions the NEW policy allows that OLD does not (+) and the reverse (-); exit 1 when they differ."""
    change = diff_actions(resolve_policy(old, partition), resolve_policy(new, partition))
    for line in change.lines():
        echo(line)
    echo_err(f"{len(change.added)} action(s) added, {len(change.removed)} removed")
    raise typer.Exit(1 if change.changed else 0)


@iam_app.command("check")
def check(
    files: Annotated[list[str], typer.Argument(help="Policy JSON files or URLs (permissions or trust).")],
    strict: Annotated[
        bool, typer.Option("--strict", help='Write actions on Resource "*" with no Condition fail too.')
    ] = False,
) -> None:
    """Check IAM grammar, that trust policies bind one ServiceAccount, and flag unconditioned write
    actions on every resource (warnings; errors under --strict); exit 1 on any error."""
    failed = False
    for source in files:
        doc = parse_json(read_text(source), source)
        trust = _is_trust_policy(doc)
        problems = check_trust_policy(doc) if trust else check_policy(doc)
        for problem in problems:
            echo(f"{source}: {problem}")
        warnings = [] if trust or problems else wildcard_writes(doc)
        for warning in warnings:
            echo(f"{source}: {'error' if strict else 'warning'}: {warning}")
        failed = failed or bool(problems) or (strict and bool(warnings))
    raise typer.Exit(1 if failed else 0)


def _is_trust_policy(doc: Any) -> bool:
    statements = doc.get("Statement") if isinstance(doc, dict) else None
    statements = [statements] if isinstance(statements, dict) else statements
    return isinstance(statements, list) and any(isinstance(s, dict) and "Principal" in s for s in statements)


def _render(policy: dict[str, Any]) -> str:
    from eksnet_manifests.render.yaml_out import render_json  # keeps YAML libraries out of CLI start-up

    return render_json(policy)


def _write(text: str, out: Path | None) -> None:
    if out is None:
        typer.echo(text, nl=False)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise RenderError(f"cannot write: {exc.strerror}", Location(str(out))) from None
