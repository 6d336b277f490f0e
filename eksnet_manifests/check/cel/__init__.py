"""CEL: ``x-kubernetes-validations`` rules with the Kubernetes CEL library."""
