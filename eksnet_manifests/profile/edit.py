"""Add or change one app from command-line options, and record it in the profile file."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from eksnet_manifests.errors import Location, SpecError
from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.base import dump
from eksnet_manifests.profile.load import DEFAULT_PROFILE_NAMES, LoadedProfile, format_field, read_yaml
from eksnet_manifests.profile.names import Hostname
from eksnet_manifests.profile.profile import Profile

COMMAND_LINE = "<command line>"
_OPTION_FOR_FIELD = {
    "name": "NAME",
    "image": "--image",
    "port": "--port",
    "servicePort": "--service-port",
    "namespace": "--namespace",
    "replicas": "--replicas",
    "expose": "--expose",
}


@dataclass(frozen=True)
class AppOptions:
    name: str | None = None
    expose: str | None = None
    hosts: tuple[str, ...] = ()
    image: str | None = None
    port: int | None = None
    service_port: int | None = None
    namespace: str | None = None
    replicas: int | None = None


def with_app(loaded: LoadedProfile, options: AppOptions) -> tuple[Profile, App]:
    """The profile with the app from ``options`` added, or merged into the app of that name."""
    profile = loaded.profile
    name = options.name or _name_from_host(options.hosts)
    existing = next((app for app in profile.apps if app.name == name), None)
    data: dict[str, Any] = dump(existing) if existing else {"name": name}
    data |= {
        key: value
        for key, value in (
            ("image", options.image),
            ("port", options.port),
            ("servicePort", options.service_port),
            ("namespace", options.namespace),
            ("replicas", options.replicas),
        )
        if value is not None
    }
    expose = dict(data.get("expose") or {"type": "none"})
    if options.expose and options.expose != expose.get("type"):
        expose = {"type": options.expose}
    if options.hosts:
        expose["hosts"] = list(options.hosts)
    data["expose"] = expose
    try:
        app = App.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise SpecError(_option_message(error), Location(COMMAND_LINE, None, _option(error["loc"]))) from None
    apps = [app if other.name == name else other for other in profile.apps]
    if existing is None:
        apps.append(app)
    updated = profile.model_copy(update={"apps": tuple(apps)})
    own = ("apps", apps.index(app))
    problems = updated.problems()
    problem = next((p for p in problems if p.path[:2] == own), problems[0] if problems else None)
    if problem is not None:
        field = _option(problem.path[2:]) if problem.path[:2] == own else format_field(problem.path)
        raise SpecError(problem.message, Location(COMMAND_LINE, None, field))
    return updated, app


def _name_from_host(hosts: tuple[str, ...]) -> str:
    if not hosts:
        raise SpecError("give an app NAME or a --host to name it after", Location(COMMAND_LINE))
    try:
        host = TypeAdapter(Hostname).validate_python(hosts[0])
    except ValidationError as exc:
        raise SpecError(_option_message(exc.errors()[0]), Location(COMMAND_LINE, None, "--host")) from None
    return host.removeprefix("*.").split(".")[0]


def _option(loc: tuple[Any, ...]) -> str:
    head = str(loc[0]) if loc else ""
    if head == "expose" and "hosts" in loc:
        return "--host"
    return _OPTION_FOR_FIELD.get(head, format_field(loc))


def _option_message(error: dict[str, Any]) -> str:
    if error["type"] == "union_tag_invalid":
        return "must be one of nlb, alb, gateway, none"
    return str(error["msg"]).removeprefix("Value error, ")


def save_app(loaded: LoadedProfile, app: App) -> Path:
    """Record ``app`` in the profile file, keeping comments (the bundled profile goes to ./eksnet.yaml)."""
    path = loaded.path or Path(DEFAULT_PROFILE_NAMES[0])
    source = loaded.source.root
    document = read_yaml(_dump_yaml(source), str(path))
    apps = document.setdefault("apps", CommentedSeq())
    entry = CommentedMap(app.model_dump(by_alias=True, exclude_defaults=True, mode="json"))
    entry.move_to_end("name", last=False)
    names = [item.get("name") for item in apps]
    if app.name in names:
        apps[names.index(app.name)] = entry
    else:
        apps.append(entry)
    try:
        path.write_text(_dump_yaml(document), "utf-8")
    except OSError as exc:
        raise SpecError(f"cannot save profile: {exc.strerror}", Location(str(path))) from None
    return path


def _dump_yaml(document: Any) -> str:
    writer = YAML(typ="rt")
    writer.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    writer.dump(document, stream)
    return stream.getvalue()
