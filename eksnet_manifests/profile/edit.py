"""Add or change one app from command-line options, and record it in the profile file.

Options merge into the app of that name: only the fields given change. Changing the exposure kind
keeps the fields both kinds have and reports the ones the new kind cannot carry. ``--save`` rewrites
only the app's entry of the profile, in place, so the user's comments and formatting elsewhere stay.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from eksnet_manifests.errors import Location, SpecError, shown
from eksnet_manifests.files import StagedFile, stage_file
from eksnet_manifests.profile.app import App
from eksnet_manifests.profile.base import dump
from eksnet_manifests.profile.discovery import DEFAULT_PROFILE_NAMES
from eksnet_manifests.profile.exposure import AlbExposure, GatewayExposure, NlbExposure, NoExposure
from eksnet_manifests.profile.load import LoadedProfile, field_names, model_at, parse_profile
from eksnet_manifests.profile.names import Hostname
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.profile.sources import format_field, read_yaml

COMMAND_LINE = "<command line>"
EXPOSURE_MODELS: dict[str, type[BaseModel]] = {
    "nlb": NlbExposure,
    "alb": AlbExposure,
    "gateway": GatewayExposure,
    "none": NoExposure,
}
_OPTION_FOR_FIELD = {
    "name": "NAME",
    "image": "--image",
    "port": "--port",
    "servicePort": "--service-port",
    "namespace": "--namespace",
    "replicas": "--replicas",
    "expose": "--expose",
}
# gen app options that set a field of the app's ``expose`` block.
_OPTION_FOR_EXPOSE_FIELD = {
    "hosts": "--host",
    "scheme": "--scheme",
    "pathPrefix": "--path",
    "https": "--https",
    "certificateArns": "--certificate-arn",
    "ttl": "--ttl",
    "sectionName": "--section",
    "gateway": "--gateway",
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
    scheme: str | None = None
    path: str | None = None
    https: bool | None = None
    certificate_arns: tuple[str, ...] = ()
    ttl: int | None = None
    section: str | None = None
    gateway: str | None = None

    def expose_fields(self) -> dict[str, Any]:
        """The ``expose`` fields given on the command line, by profile key."""
        given = {
            "hosts": list(self.hosts) or None,
            "scheme": self.scheme,
            "pathPrefix": self.path,
            "https": self.https,
            "certificateArns": list(self.certificate_arns) or None,
            "ttl": self.ttl,
            "sectionName": self.section,
            "gateway": self.gateway,
        }
        return {key: value for key, value in given.items() if value is not None}


@dataclass(frozen=True)
class EditedApp:
    profile: Profile
    app: App
    notes: tuple[str, ...] = ()
    """What the edit dropped, e.g. fields the new exposure kind cannot carry."""


def with_app(loaded: LoadedProfile, options: AppOptions) -> EditedApp:
    """The profile with the app from ``options`` added, or merged into the app of that name."""
    profile = loaded.profile
    name = options.name or _name_from_host(options.hosts)
    existing = next((app for app in profile.apps if app.name == name), None)
    # Only what the profile sets: defaults stay defaults, and a kind change reports what the user loses.
    data: dict[str, Any] = (
        existing.model_dump(by_alias=True, exclude_unset=True, mode="json") if existing else {"name": name}
    )
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
    data["expose"], notes = _merged_exposure(data.get("expose") or {"type": "none"}, options, profile)
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
    return EditedApp(updated, app, notes)


def _merged_exposure(
    current: dict[str, Any], options: AppOptions, profile: Profile
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """``current`` with the options' kind and fields applied; notes on fields a new kind drops."""
    given = options.expose_fields()
    kind = options.expose or current["type"]
    if kind not in EXPOSURE_MODELS:
        raise SpecError("must be one of nlb, alb, gateway, none", Location(COMMAND_LINE, None, "--expose"))
    if given and kind == "none":
        flags = ", ".join(_OPTION_FOR_EXPOSE_FIELD[key] for key in given)
        needs = "needs" if len(given) == 1 else "need"
        message = (
            f"{flags} {needs} --expose nlb, alb or gateway"
            if options.expose is None
            else f"--expose none has no {flags}: the app is not exposed"
        )
        raise SpecError(message, Location(COMMAND_LINE, None, flags))
    allowed = set(field_names(EXPOSURE_MODELS[kind]))
    unknown = [key for key in given if key not in allowed]
    if unknown:
        owners = [k for k, model in EXPOSURE_MODELS.items() if unknown[0] in field_names(model)]
        flag = _OPTION_FOR_EXPOSE_FIELD[unknown[0]]
        raise SpecError(
            f"{kind} exposure has no {flag} setting (it applies to {', '.join(owners)})",
            Location(COMMAND_LINE, None, flag),
        )
    notes: tuple[str, ...] = ()
    merged = dict(current)
    if kind != current["type"]:
        merged = {key: value for key, value in current.items() if key in allowed}
        dropped = sorted(set(current) - set(merged) - {"type"})
        # Blocks both kinds have may hold keys only the old kind has (healthCheck.intervalSeconds).
        for key, value in list(merged.items()):
            block = model_at(EXPOSURE_MODELS[kind], (key,))
            if isinstance(value, dict) and block is not None:
                keys = set(field_names(block))
                merged[key] = {sub: item for sub, item in value.items() if sub in keys}
                dropped += sorted(f"{key}.{sub}" for sub in value if sub not in keys)
        if dropped:
            notes = (_dropped_note(options.name or "", current["type"], kind, dropped, profile),)
    merged["type"] = kind
    return merged | given, notes


def _dropped_note(name: str, old: str, new: str, dropped: list[str], profile: Profile) -> str:
    note = (
        f"changing {name or 'the app'} from {old} to {new} exposure drops expose.{', expose.'.join(dropped)}"
    )
    if "hosts" in dropped and profile.external_dns.policy == "sync":
        note += " (ExternalDNS policy sync will delete the records of its hosts)"
    return note


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
    if head == "expose":
        for part in loc[1:]:
            if part in _OPTION_FOR_EXPOSE_FIELD:
                return _OPTION_FOR_EXPOSE_FIELD[part]
    return _OPTION_FOR_FIELD.get(head, format_field(loc))


def _option_message(error: dict[str, Any]) -> str:
    if error["type"] == "union_tag_invalid":
        return "must be one of nlb, alb, gateway, none"
    if error["type"] == "literal_error":
        return f"must be one of {error.get('ctx', {}).get('expected', '')}"
    return str(error["msg"]).removeprefix("Value error, ").replace("Input should be", "must be")


def saved_profile_path(loaded: LoadedProfile) -> Path:
    """Where ``--save`` writes: the profile's own file, or ./eksnet.yaml for the bundled one."""
    return loaded.path or Path(DEFAULT_PROFILE_NAMES[0])


def stage_app(loaded: LoadedProfile, app: App) -> StagedFile:
    """The profile file with ``app`` recorded, written beside it and flushed, ready to be committed.

    The new text is loaded again before it is staged, so a profile that ``--save`` writes is always
    one eksnet reads back.
    """
    path = saved_profile_path(loaded)
    defined_in = loaded.app_file(app.name)
    if defined_in != loaded.source.file and app.name in {known.name for known in loaded.profile.apps}:
        raise SpecError(
            f"app {shown(app.name)} is defined in {defined_in}: --save writes only {path}; "
            f"change it in {defined_in}",
            Location(str(path)),
        )
    text = profile_text_with_app(loaded, app, str(path))
    reloaded = parse_profile(text, str(path), loaded.path)
    if next(a for a in reloaded.profile.apps if a.name == app.name) != app:
        raise SpecError(f"app {shown(app.name)} would not read back as given", Location(str(path)))
    try:
        return stage_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise SpecError(f"cannot save profile: {exc.strerror}", Location(str(path))) from None


def profile_text_with_app(loaded: LoadedProfile, app: App, file: str) -> str:
    """The profile's text with ``app``'s entry updated in place (or appended), comments kept."""
    document, _ = read_yaml(_dump_yaml(loaded.source.round_trip()), file, fast=False)
    apps = document.setdefault("apps", CommentedSeq())
    if not apps:
        apps.fa.set_block_style()  # `apps: []` from eksnet init grows into a block list
    full = dump(app)
    minimal = app.model_dump(by_alias=True, exclude_defaults=True, mode="json")
    names = [item.get("name") if isinstance(item, dict) else None for item in apps]
    if app.name in names:
        _merge_into(apps[names.index(app.name)], full, minimal)
    else:
        entry = CommentedMap(minimal)
        entry.move_to_end("name", last=False)
        if isinstance(minimal.get("expose"), dict):
            entry["expose"] = CommentedMap(minimal["expose"])
            entry["expose"].move_to_end("type", last=False)
        apps.append(entry)
    return _dump_yaml(document)


def _merge_into(node: CommentedMap, full: dict[str, Any], minimal: dict[str, Any]) -> None:
    """Make ``node`` say ``full``, touching only keys whose value changed; new keys only when not default."""
    for key in [key for key in node if key not in full]:
        del node[key]
    for key, value in full.items():
        if key in node:
            if isinstance(node[key], CommentedMap) and isinstance(value, dict):
                _merge_into(node[key], value, minimal.get(key) or {})
            elif _plain(node[key]) != value:
                node[key] = value
        elif key in minimal:
            node[key] = minimal[key]


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _dump_yaml(document: Any) -> str:
    writer = YAML(typ="rt")
    writer.indent(mapping=2, sequence=4, offset=2)
    stream = io.StringIO()
    writer.dump(document, stream)
    return stream.getvalue()
