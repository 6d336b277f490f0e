"""The README's example profile is a valid profile, so the documentation stays true."""

from __future__ import annotations

import re
from pathlib import Path

from eksnet_manifests.profile.load import parse_profile

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_profile_loads() -> None:
    section = README.read_text().split("## The profile", 1)[1]
    example = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert example is not None
    loaded = parse_profile(example.group(1), "README.md")
    assert loaded.profile.apps[0].expose.type == "nlb"


def _commands() -> list[tuple[str, list[str]]]:
    import typer

    from eksnet_manifests.cli import app

    found: list[tuple[str, list[str]]] = []

    def walk(group, prefix: str) -> None:
        for name, command in group.commands.items():
            if hasattr(command, "commands"):
                walk(command, f"{prefix} {name}")
            else:
                options = [max(p.opts, key=len) for p in command.params if p.param_type_name == "option"]
                found.append((f"{prefix} {name}", options))

    walk(typer.main.get_command(app), "eksnet")
    return found


def test_readme_command_table_lists_every_command_and_flag() -> None:
    section = README.read_text().split("## Commands", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `eksnet")]
    for command, options in _commands():
        row = next(
            (r for r in rows if f"`{command} " in r or f"`{command}`" in r or f"/ `{command} " in r), None
        )
        assert row is not None, f"{command} is not in the README's command table"
        missing = [option for option in options if option not in row]
        assert not missing, f"{command}: {missing} not in the README's command table"
    for exit_code in ("0 success", "1 validation findings", "2 bad input", "3 an internal error"):
        assert exit_code in section


def test_readme_new_cluster_walkthrough_runs(tmp_path, monkeypatch) -> None:
    import shlex

    from typer.testing import CliRunner

    from eksnet_manifests.cli import app

    section = README.read_text().split("A new cluster from scratch:", 1)[1]
    script = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert script is not None
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for line in script.group(1).splitlines():
        for command in line.split("&&"):
            words = shlex.split(command)
            assert words[0] == "eksnet"
            result = runner.invoke(app, words[1:])
            assert result.exit_code == 0, f"{command}: {result.output}"
    assert (tmp_path / "out" / "shop" / "apps" / "worker.yaml").is_file()


def _rows() -> dict[str, str]:
    rows = {}
    for line in README.read_text().splitlines():
        match = re.match(r"^\| `([^`]+)`(?: \(per controller\))? \| (.*)$", line)
        if match:
            rows.setdefault(match.group(1), match.group(2))
    return rows


def test_every_scalar_default_of_the_profile_is_in_the_readme_tables() -> None:
    # GIVEN the models behind the README's section and exposure tables
    from pydantic.alias_generators import to_camel

    from eksnet_manifests.profile import gateway, gateway_load_balancer, listener_rule, routes, target_group
    from eksnet_manifests.profile.app import AppDefaults
    from eksnet_manifests.profile.cluster import Cluster
    from eksnet_manifests.profile.controllers import GatewayApi, LoadBalancerController
    from eksnet_manifests.profile.dns import ExternalDns
    from eksnet_manifests.profile.exposure import AlbExposure, GatewayExposure, NlbExposure
    from eksnet_manifests.profile.gitops import ArgoCd, Flux, GitOps
    from eksnet_manifests.profile.profile import Validation
    from eksnet_manifests.profile.vpc_cni import VpcCni

    models = {
        "cluster": Cluster, "loadBalancerController": LoadBalancerController, "externalDns": ExternalDns,
        "gatewayApi": GatewayApi, "vpcCni": VpcCni, "defaults": AppDefaults, "validation": Validation,
        "nlb": NlbExposure, "alb": AlbExposure, "gateway": GatewayExposure,
        "gateways[]": gateway.Gateway, "listeners[]": gateway.Listener, "listenerSets[]": gateway.ListenerSet,
        "loadBalancer": gateway_load_balancer.LoadBalancerSettings,
        "gatewayClasses[]": gateway.GatewayClassSettings,
        "targetGroup": target_group.TargetGroupSettings, "rules[]": routes.RouteRule,
        "listenerRule": listener_rule.ListenerRule,
        "gitops": GitOps, "gitops.argocd": ArgoCd, "gitops.flux": Flux,
    }  # fmt: skip
    rows = _rows()
    missing = []
    for row_name, model in models.items():
        for name, info in model.model_fields.items():
            default = info.default
            if name == "type" or not isinstance(default, str | int | bool) or default in ("", ()):
                continue
            text = str(default).lower() if isinstance(default, bool) else str(default)
            # THEN the row names the key with its default as the first value in brackets
            if not re.search(rf'`{to_camel(name)}` \("?{re.escape(text)}"?[);,]', rows[row_name]):
                missing.append(f"{row_name}.{to_camel(name)} ({text})")
    # AND the models written inside a row's braces carry their defaults there, as ``key (default``
    for row_name, nested in NESTED_MODELS.items():
        for model in nested:
            for name, info in model.model_fields.items():
                default = info.default
                if not isinstance(default, str | int | bool) or default in ("", ()):
                    continue
                text = str(default).lower() if isinstance(default, bool) else str(default)
                if not re.search(rf"\b{to_camel(name)} \({re.escape(text)}[);,]", rows[row_name]):
                    missing.append(f"{row_name} {model.__name__}.{to_camel(name)} ({text})")
    assert missing == []


def _nested_models() -> dict[str, tuple[type, ...]]:
    from eksnet_manifests.profile import listener_rule, routes, target_group

    return {
        "rules[]": (
            routes.PathMatch,
            routes.ValueMatch,
            routes.GrpcMethod,
            routes.Backend,
            routes.RequestRedirect,
        ),
        "listenerRule": (listener_rule.Oidc, listener_rule.FixedResponse, listener_rule.ForwardStickiness),
        "targetGroup": (target_group.Stickiness,),
    }


NESTED_MODELS = _nested_models()
