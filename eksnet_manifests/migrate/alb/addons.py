"""Keys LBC's Gateway controllers have no counterpart for: WAF Classic, the frontend NLB, ACM
certificates LBC creates itself.

A profile keeps them as written; on Gateway API they are not translatable, for the reason given
(LBC docs ``guide/ingress2gateway/lbc_migrate_reference.md`` "Annotation Support", v3.5.0).
"""

from __future__ import annotations

from eksnet_manifests.migrate.alb.common import keep, matching, present
from eksnet_manifests.migrate.draft import Draft
from eksnet_manifests.migrate.inputs import Resource
from eksnet_manifests.migrate.report import Report, dropped

WAF_CLASSIC = (
    "WAF Classic: LoadBalancerConfiguration takes WAFv2 web ACLs only; move the Ingress to wafv2-acl-arn "
    "first, or the Gateway's ALB has no web ACL"
)
FRONTEND_NLB = (
    "LBC's Gateway controllers put no NLB in front of an ALB: chain an NLB Gateway to the ALB instead"
)
ACM = "LBC's Gateway controllers create no ACM certificates: issue the certificate and give its ARN"
REASONS = {
    "waf-acl-id": WAF_CLASSIC,
    "web-acl-id": WAF_CLASSIC,
    "enable-frontend-nlb": FRONTEND_NLB,
    "create-acm-cert": ACM,
    "acm-pca-arn": ACM,
}
KEYS = tuple(REASONS)
STEMS = ("frontend-nlb-",)


def translate(ingress: Resource, draft: Draft, report: Report) -> None:
    for key in present(ingress, KEYS):
        keep(ingress, key, draft, report, dropped(REASONS[key.rpartition("/")[2]]))
    for key in matching(ingress, *STEMS):
        keep(ingress, key, draft, report, dropped(FRONTEND_NLB))
