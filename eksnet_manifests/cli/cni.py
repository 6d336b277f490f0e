"""`eksnet cni max-pods`: the EKS max-pods formula for one instance type."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from eksnet_manifests.cli._boundary import CommandGroup, echo_err
from eksnet_manifests.errors import SpecError

cni_app = typer.Typer(
    cls=CommandGroup, no_args_is_help=True, help="Amazon VPC CNI calculators: max pods per instance type."
)


class MaxPodsOutput(StrEnum):
    text = "text"
    json = "json"


class InstanceSource(StrEnum):
    builtin = "builtin"
    aws = "aws"


@cni_app.command("max-pods")
def max_pods_command(
    instance_type: Annotated[str, typer.Argument(help="EC2 instance type, e.g. t3.medium.")],
    prefix_delegation: Annotated[
        bool,
        typer.Option("--prefix-delegation", help="Prefix delegation: /28 per slot, capped at 110 or 250."),
    ] = False,
    custom_networking: Annotated[
        bool, typer.Option("--custom-networking", help="Custom networking: the primary ENI carries no pods.")
    ] = False,
    max_eni: Annotated[
        int | None, typer.Option("--max-eni", min=1, help="MAX_ENI: use at most this many ENIs.")
    ] = None,
    instance_data: Annotated[
        Path | None,
        typer.Option("--instance-data", help="instance-info.jsonl from the EKS AMI, for types not built in."),
    ] = None,
    source: Annotated[
        InstanceSource,
        typer.Option("--source", help="builtin table, or aws (EC2 DescribeInstanceTypes via boto3)."),
    ] = InstanceSource.builtin,
    output: Annotated[MaxPodsOutput, typer.Option("--output", "-o", help="text (the number) or json.")] = (
        MaxPodsOutput.text
    ),
) -> None:
    """Print the kubelet maxPods the VPC CNI supports on INSTANCE_TYPE."""
    from eksnet_manifests.cni.instance_data import resolve_instance
    from eksnet_manifests.cni.max_pods import max_pods, max_pods_data, prefix_delegation_problem

    limits = resolve_instance(instance_type, source=source.value, data_file=instance_data)
    problem = prefix_delegation_problem(limits) if prefix_delegation else None
    if problem:
        raise SpecError(problem)
    result = max_pods(
        limits, prefix_delegation=prefix_delegation, custom_networking=custom_networking, max_eni=max_eni
    )
    if output is MaxPodsOutput.json:
        typer.echo(json.dumps(max_pods_data(limits, result), indent=2))
        return
    typer.echo(result.value)
    for note in result.notes:
        echo_err(f"note: {note}")
