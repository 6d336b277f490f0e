"""Profile helpers: ``eksnet init``, ``eksnet profile show``, ``eksnet schema`` and ``eksnet explain``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
import yaml

from eksnet_manifests.cli._boundary import CommandGroup, echo_err
from eksnet_manifests.errors import Location, RenderError, SpecError
from eksnet_manifests.files import read_input
from eksnet_manifests.profile.layers import plain

profile_app = typer.Typer(cls=CommandGroup, no_args_is_help=True, help="The bundled example profiles.")


def init_command(
    cluster: Annotated[
        str | None, typer.Option("--cluster", help="EKS cluster name (default: the profile folder's name).")
    ] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="AWS region (default: $AWS_REGION, $AWS_DEFAULT_REGION).")
    ] = None,
    vpc_id: Annotated[
        str | None, typer.Option("--vpc-id", help="The cluster's VPC ID (default: a placeholder to replace).")
    ] = None,
    kubernetes_version: Annotated[
        str | None, typer.Option("--kubernetes-version", help="Kubernetes minor version, e.g. 1.34.")
    ] = None,
    account_id: Annotated[
        str | None, typer.Option("--account-id", help="AWS account ID (12 digits).")
    ] = None,
    instance_type: Annotated[str, typer.Option("--instance-type", help="Node instance type.")] = "t3.medium",
    nodes: Annotated[int, typer.Option("--nodes", help="Nodes in the node group.")] = 2,
    domain: Annotated[
        list[str] | None, typer.Option("--domain", help="Domain ExternalDNS may manage (repeatable).")
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Profile file to write.")] = Path("eksnet.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing profile.")] = False,
) -> None:
    """Write a commented starting profile for your cluster, and its JSON Schema beside it for editors."""
    from eksnet_manifests.files import atomic_write
    from eksnet_manifests.profile.explain import profile_json_schema
    from eksnet_manifests.profile.starter import (
        PLACEHOLDER_VPC_ID,
        SCHEMA_FILE,
        StarterOptions,
        cluster_name_from,
        starter_profile,
    )

    if out.exists() and not force:
        raise SpecError("already exists; pass --force to overwrite it", Location(str(out)))
    chosen_region = region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if chosen_region is None:
        raise SpecError("give --region (or set AWS_REGION)", Location("<command line>", None, "--region"))
    options = StarterOptions(
        cluster=cluster or cluster_name_from(out.resolve().parent.name),
        region=chosen_region,
        vpc_id=vpc_id or PLACEHOLDER_VPC_ID,
        account_id=account_id,
        instance_type=instance_type,
        nodes=nodes,
        domains=tuple(domain or ()),
        **({"kubernetes_version": kubernetes_version} if kubernetes_version else {}),
    )
    text = starter_profile(options)
    schema_file = out.with_name(SCHEMA_FILE)
    try:
        atomic_write(schema_file, profile_json_schema().encode())
        atomic_write(out, text.encode())
    except OSError as exc:
        raise RenderError(f"cannot write: {exc.strerror}", Location(exc.filename or str(out))) from None
    typer.echo(f"wrote {out} (cluster {options.cluster}) and {schema_file}")
    if options.vpc_id == PLACEHOLDER_VPC_ID:
        echo_err(f"note: {out}: cluster.vpcId is a placeholder: replace it with your cluster's VPC ID")
    host = f"web.{options.domains[0] if options.domains else 'example.com'}"
    typer.echo(f"next: eksnet gen app web --expose alb --host {host} --save, then eksnet gen all")


@profile_app.command("show")
def show_command(
    profile: Annotated[
        Path | None, typer.Option("--profile", "-p", help="Profile to show (default: the bundled one).")
    ] = None,
    merged: Annotated[
        bool,
        typer.Option(
            "--merged", help="Show the profile as eksnet reads it: its base profiles and app files merged."
        ),
    ] = False,
) -> None:
    """Print a profile (the bundled lab profile by default), comments included; --merged shows the result
    of extends and includes, the later file winning."""
    from importlib import resources

    from eksnet_manifests.profile.load import BUNDLED_PROFILE, load_profile

    if not merged:
        if profile is None:
            text = resources.files("eksnet_manifests.examples").joinpath(BUNDLED_PROFILE).read_text("utf-8")
        else:
            text = read_input(profile, what="profile")
        typer.echo(text, nl=False)
        return
    loaded = load_profile(profile)
    typer.echo(f"# {loaded.profile.cluster.name}: merged from (a later file wins) {', '.join(loaded.files)}")
    typer.echo(yaml.safe_dump(plain(loaded.document), sort_keys=False, allow_unicode=True), nl=False)


def schema_command(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Print the profile's JSON Schema, for editors (yaml-language-server) and CI linters."""
    from eksnet_manifests.files import atomic_write
    from eksnet_manifests.profile.explain import profile_json_schema

    schema = profile_json_schema()
    if out is None:
        typer.echo(schema, nl=False)
        return
    try:
        atomic_write(out, schema.encode())
    except OSError as exc:
        raise RenderError(f"cannot write: {exc.strerror}", Location(str(out))) from None


def explain_command(
    field: Annotated[
        str, typer.Argument(help="Dotted profile field, e.g. apps.expose.hosts or externalDns.policy.")
    ] = "",
) -> None:
    """Print a profile field's type, default and documentation, and its fields (like kubectl explain)."""
    from eksnet_manifests.profile.explain import explain

    typer.echo(explain(field).text(), nl=False)
