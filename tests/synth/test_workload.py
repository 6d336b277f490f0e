"""Every app gets a Deployment whose pods the Service selects by name."""

from __future__ import annotations

from eksnet_manifests.synth.workload import build_deployment, build_service


def test_deployment_carries_image_port_env_and_resources(build_app) -> None:
    app, _ = build_app(
        {
            "name": "netshoot",
            "image": "praqma/network-multitool",
            "replicas": 3,
            "env": {"HTTPS_PORT": "443", "HTTP_PORT": "80"},
            "resources": {"requests": {"cpu": "100m"}},
            "terminationGracePeriodSeconds": 0,
        }
    )
    deployment = build_deployment(app)
    spec = deployment["spec"]
    (container,) = spec["template"]["spec"]["containers"]
    assert spec["replicas"] == 3
    assert container["image"] == "praqma/network-multitool"
    assert container["ports"] == [{"name": "http", "containerPort": 80, "protocol": "TCP"}]
    assert container["env"] == [{"name": "HTTPS_PORT", "value": "443"}, {"name": "HTTP_PORT", "value": "80"}]
    assert container["resources"] == {"requests": {"cpu": "100m"}}
    assert spec["template"]["spec"]["terminationGracePeriodSeconds"] == 0


def test_service_selects_exactly_the_deployment_pods(build_app) -> None:
    app, _ = build_app({"name": "echo", "port": 8080, "labels": {"team": "net"}})
    deployment, service = build_deployment(app), build_service(app)
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"] == service["spec"]["selector"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    assert pod_labels["team"] == "net"
    assert service["spec"]["ports"][0]["targetPort"] == "http"
