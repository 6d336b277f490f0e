"""What ``eksnet validate`` says of a migration's Gateway API output, for the pinned releases: schemas and
CEL of the pinned CRDs, the lints, the controller rules and the predicted route and listener status.

The input's Services, Deployments and Namespaces are checked alongside as the objects the routes refer to,
without their ExternalDNS annotations (the names move to the routes at the cut-over: both claiming them is
the plan's middle step, not the end state); only findings about the output are kept.
"""

from __future__ import annotations

from dataclasses import replace

from eksnet_manifests.check.documents import Document, documents_from_objects
from eksnet_manifests.check.findings import Finding
from eksnet_manifests.check.validate import ValidateOptions, Validation, validate_loaded
from eksnet_manifests.migrate.migration import Migration
from eksnet_manifests.profile.profile import Profile
from eksnet_manifests.versions.external_dns import ALPHA_PREFIX, GA_PREFIX

CONTEXT_KINDS = ("Service", "Deployment", "Namespace")


def validate_gateway_output(
    migration: Migration, base: Profile, context: list[Document], crd_sources: tuple[str, ...] = ()
) -> Validation:
    """Findings about the objects of ``migration.files``, checked with the ``context`` documents."""
    documents = [
        doc for name, objects in migration.files.items() for doc in documents_from_objects(objects, name)
    ]
    related = [_without_dns_names(doc) for doc in context if doc.kind in CONTEXT_KINDS]
    validation = validate_loaded(
        [*documents, *related],
        ValidateOptions(cel=base.validation.cel),
        base.cluster.kubernetes_version,
        crd_sources,
        pins=base.pins(),
        files=tuple(migration.files),
    )
    own: list[Finding] = [finding for finding in validation.findings if finding.file in migration.files]
    return replace(validation, findings=own)


def _without_dns_names(doc: Document) -> Document:
    metadata = dict(doc.metadata)
    annotations = {
        key: value
        for key, value in (metadata.get("annotations") or {}).items()
        if not str(key).startswith((ALPHA_PREFIX, GA_PREFIX))
    }
    metadata["annotations"] = annotations
    return replace(doc, obj={**doc.obj, "metadata": metadata})
