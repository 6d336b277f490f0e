"""Upstream facts per release, one table per upstream source; imports no pipeline stage.

- ``lbc``: AWS Load Balancer Controller (chart, feature gates, CRD versions, what it watches).
- ``gateway_api``: Gateway API releases (kinds and versions served per channel, install files).
- ``external_dns``: ExternalDNS (chart to app version, annotation prefix, route versions watched).
"""
