"""What ``eksnet validate`` says of a migration's Gateway API output, for the pinned releases: schemas and
CEL of the pinned CRDs, the lints, the controller rules and the predicted route and listener status.

The input's Services, Deployments and Namespaces are checked alongside as the objects the routes refer to;
only findings about the output are kept.
"""

from __future__ import annotations

from dataclasses import replace

from eksnet_manifests.check.documents import Document, documents_from_objects
from eksnet_manifests.check.findings import Finding
from eksnet_manifests.check.validate import ValidateOptions, Validation, validate_loaded
from eksnet_manifests.migrate.migration import Migration
from eksnet_manifests.profile.profile import Profile

CONTEXT_KINDS = ("Service", "Deployment", "Namespace")


def validate_gateway_output(migration: Migration, base: Profile, context: list[Document]) -> Validation:
    """Findings about the objects of ``migration.files``, checked with the ``context`` documents."""
    documents = [doc for name, objects in migration.files.items() for doc in documents_from_objects(objects, name)]
    related = [doc for doc in context if doc.kind in CONTEXT_KINDS]
    validation = validate_loaded(
        [*documents, *related],
        ValidateOptions(cel=base.validation.cel),
        base.cluster.kubernetes_version,
        pins=base.pins(),
        files=tuple(migration.files),
    )
    own: list[Finding] = [finding for finding in validation.findings if finding.file in migration.files]
    return replace(validation, findings=own)
