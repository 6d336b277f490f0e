"""Custom actions, conditions and transforms: ``actions.<name>``, ``conditions.<name>``,
``transforms.<name>`` and ``use-regex-path-match``.

A profile keeps them as written (its Ingress paths name the actions they use). On Gateway API they
become route rules as lbc-migrate writes them (LBC ``pkg/ingress2gateway/translate/
translate_action_helper.go``, ``translate_condition_helper.go``, ``translate_transform_helper.go``,
v3.5.0): forward actions backendRefs with weights, redirects RequestRedirect filters, fixed responses and
stickiness ListenerRuleConfigurations; condition values OR'd by ALB one match each; source IPs a
ListenerRuleConfiguration condition; static rewrites URLRewrite filters.
"""

from __future__ import annotations

import re
from typing import Any

from eksnet_manifests.migrate.alb.common import PREFIX, json_value, keep, matching, note, parsed
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import Resource, _list, _map
from eksnet_manifests.migrate.report import Outcome, Report, approximated, dropped, failed, translated

KEYS = ("use-regex-path-match",)
STEMS = ("actions.", "conditions.", "transforms.")
ACTION_TYPES = ("forward", "redirect", "fixed-response")
USE_ANNOTATION = "use-annotation"
# ALB redirect placeholders that keep the request's part, as Gateway API does when the field is unset.
KEEPS_REQUEST = {"host": "#{host}", "path": "/#{path}", "port": "#{port}", "query": "#{query}"}
CAPTURE_GROUP = re.compile(r"\$\d")
RULES = "HTTPRoute spec.rules[]"
EXTERNAL = (
    "an external target group serves one ALB at a time: the Gateway's ALB cannot attach it while the "
    "Ingress's holds it; cut those rules over, or duplicate the target group"
)
OR_CONDITIONS = (
    "ALB ORs the values of one condition, Gateway API needs one match per value: more listener rules"
)


def used_actions(ingress: Resource) -> set[str]:
    """Names of the actions the Ingress's paths and default backend use (port name use-annotation)."""
    spec = ingress.spec
    backends = [_map(spec.get("defaultBackend"))]
    for rule in _list(spec.get("rules")):
        backends += [_map(path).get("backend") for path in _list(_map(_map(rule).get("http")).get("paths"))]
    names = set()
    for backend in backends:
        service = _map(_map(backend).get("service"))
        if _map(service.get("port")).get("name") == USE_ANNOTATION:
            names.add(str(service.get("name")))
    return names


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    if PREFIX + "use-regex-path-match" in ingress.annotations:
        regex = parsed(ingress, PREFIX + "use-regex-path-match", report)
        if regex is not None:
            draft.use_regex = regex
            gateway = translated(
                "HTTPRoute matches[].path", "ImplementationSpecific paths as RegularExpression"
            )
            keep(ingress, PREFIX + "use-regex-path-match", draft, report, gateway)
    used = used_actions(ingress)
    for key in matching(ingress, *STEMS):
        stem, _, name = key.removeprefix(PREFIX).partition(".")
        value = json_value(ingress, key, report)
        if value is None:
            continue
        outcome = {"actions": _action, "conditions": _conditions, "transforms": _transforms}[stem](
            name, value, draft, used
        )
        if outcome.status.value == "error":
            note(report, ingress, key, outcome)
        else:
            keep(ingress, key, draft, report, outcome)


def _action(name: str, action: Any, draft: Draft, used: set[str]) -> Outcome:
    if not isinstance(action, dict) or action.get("type") not in ACTION_TYPES:
        return failed(f"an action has a type of {', '.join(ACTION_TYPES)}: LBC fails the Ingress")
    if name not in used:
        return dropped(f"no path uses it (a backend {name} with port name use-annotation): LBC ignores it")
    draft.actions[name] = action
    kind = action["type"]
    if kind == "fixed-response":
        return translated("ListenerRuleConfiguration spec.actions[].fixedResponseConfig")
    if kind == "redirect":
        config = _map(action.get("redirectConfig"))
        templated = sorted(
            key
            for key in ("host", "path", "port")
            if "#{" in str(config.get(key, "")) and config.get(key) != KEEPS_REQUEST[key]
        )
        if templated:
            return approximated(
                f"{RULES}.filters[RequestRedirect]",
                f"the redirect keeps the request's {', '.join(templated)}: Gateway API cannot template them",
            )
        return translated(f"{RULES}.filters[RequestRedirect]")
    forward = _map(action.get("forwardConfig"))
    groups = _list(forward.get("targetGroups")) or [action]
    if any("targetGroupARN" in _map(g) or "targetGroupName" in _map(g) for g in groups):
        return approximated(f"{RULES}.backendRefs (kind TargetGroupName)", EXTERNAL)
    if forward.get("targetGroupStickinessConfig"):
        return translated(f"{RULES}.backendRefs, ListenerRuleConfiguration forward stickiness")
    return translated(f"{RULES}.backendRefs", "weights as backendRef weights")


def _conditions(name: str, conditions: Any, draft: Draft, used: set[str]) -> Outcome:
    if not isinstance(conditions, list) or not all(isinstance(c, dict) and "field" in c for c in conditions):
        return failed("conditions are a list of {field: …}: LBC fails the Ingress")
    draft.conditions[name] = conditions
    approximations = []
    for condition in conditions:
        field = condition["field"]
        config = next((value for key, value in condition.items() if key.endswith("Config")), {})
        values = _list(_map(config).get("values")) + _list(_map(config).get("regexValues"))
        if field == "host-header":
            approximations.append("host-header values become the hostnames of a route of their own")
        elif field != "source-ip" and len(values) > 1:
            approximations.append(f"{field}: {OR_CONDITIONS}")
    if approximations:
        return approximated(f"{RULES}.matches", "; ".join(approximations))
    return translated(f"{RULES}.matches", "source-ip as a ListenerRuleConfiguration condition")


def _transforms(name: str, transforms: Any, draft: Draft, used: set[str]) -> Outcome:
    if not isinstance(transforms, list):
        return failed("transforms are a list of {type: …}: LBC fails the Ingress")
    captured = [
        rewrite.get("replace", "")
        for transform in transforms
        for config in (
            _map(_map(transform).get("urlRewriteConfig")),
            _map(_map(transform).get("hostHeaderRewriteConfig")),
        )
        for rewrite in _list(config.get("rewrites"))
        if CAPTURE_GROUP.search(str(_map(rewrite).get("replace", "")))
    ]
    if captured:
        return dropped(
            f"rewrites with capture groups ({', '.join(map(str, captured))}) have no Gateway API form "
            "(URLRewrite replaces statically)"
        )
    draft.transforms[name] = transforms
    return approximated(
        f"{RULES}.filters[URLRewrite]",
        "the transform's regex is dropped: the rewrite applies to every request the rule matches",
    )
