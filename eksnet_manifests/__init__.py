"""eksnet: typed EKS networking specs rendered to validated Kubernetes manifests and Helm values."""

__version__ = "0.1.0"
