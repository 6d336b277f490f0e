"""`gen app` options add or change one app; --save records it so `gen all` reproduces it."""

from __future__ import annotations

from pathlib import Path

import pytest

from eksnet_manifests.errors import SpecError
from eksnet_manifests.profile.edit import AppOptions, stage_app, with_app
from eksnet_manifests.profile.load import load_profile


def test_app_name_defaults_to_the_first_label_of_the_host() -> None:
    loaded = load_profile(None)
    edited = with_app(loaded, AppOptions(expose="gateway", hosts=("shop.example.com",)))
    profile, app = edited.profile, edited.app
    assert app.name == "shop"
    assert app.expose.type == "gateway"
    resolved = next(a for a in profile.resolved_apps() if a.name == "shop")
    assert (resolved.image, resolved.port) == (profile.defaults.image, profile.defaults.port)


def test_options_override_an_existing_app_of_the_same_name() -> None:
    loaded = load_profile(None)
    edited = with_app(loaded, AppOptions(name="tetris", hosts=("blocks.example.com",), replicas=4))
    profile, app = edited.profile, edited.app
    assert app.expose.type == "nlb"
    assert app.expose.hosts == ("blocks.example.com",)
    assert app.image == "bsord/tetris"
    assert [a.name for a in profile.apps].count("tetris") == 1


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        (AppOptions(expose="gateway"), None, "give an app NAME or a --host"),
        (AppOptions(name="x", expose="elb"), "--expose", "nlb, alb, gateway, none"),
        (AppOptions(name="x", port=0), "--port", "greater than or equal to 1"),
        (AppOptions(name="x", expose="nlb", hosts=("x.other.org",)), "--host", "outside every"),
        (AppOptions(expose="nlb", hosts=("bad_host.example.com",)), "--host", "valid DNS hostname"),
        (AppOptions(name="x", expose="nlb", hosts=("bad_host.example.com",)), "--host", "valid DNS hostname"),
    ],
    ids=["no-name", "bad-expose", "bad-port", "host-outside-filter", "bad-host-naming-the-app", "bad-host"],
)
def test_bad_options_name_the_option(options: AppOptions, field: str | None, message: str) -> None:
    with pytest.raises(SpecError) as caught:
        with_app(load_profile(None), options)
    assert caught.value.location.file == "<command line>"
    assert caught.value.location.field == field
    assert message in caught.value.message


def test_save_records_the_app_and_keeps_comments(tmp_path: Path) -> None:
    source = load_profile(None)
    profile_file = tmp_path / "eksnet.yaml"
    profile_file.write_text(Path(source.source.file.replace("<bundled>", str(_bundled_dir()))).read_text())
    loaded = load_profile(profile_file)
    app = with_app(loaded, AppOptions(expose="alb", hosts=("shop.example.com",), port=8080)).app
    stage_app(loaded, app).commit()
    text = profile_file.read_text()
    reloaded = load_profile(profile_file)
    assert next(a for a in reloaded.profile.apps if a.name == "shop") == app
    assert "# The reference EKS networking lab" in text


def _bundled_dir() -> Path:
    import eksnet_manifests.examples as profiles

    return Path(profiles.__file__).parent
