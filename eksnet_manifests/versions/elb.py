"""What Elastic Load Balancing (ELBv2) accepts for the settings the controller passes through.

Source: the Elastic Load Balancing API Reference (version 2015-12-01): ``CreateTargetGroup`` (health
check ranges), ``Matcher`` (success codes), ``TargetGroupAttribute`` and ``LoadBalancerAttribute`` (value
ranges), ``CreateLoadBalancer`` (names); and the API's ValidationError "Health check interval must be
greater than the timeout" for ALB target groups. LBC sends these values as given, so ELB refuses what
lies outside them and the controller's reconcile fails.
"""

from __future__ import annotations

import re

Range = tuple[int, int]

# CreateTargetGroup, for ALB and NLB target groups alike.
HEALTH_CHECK_INTERVAL: Range = (5, 300)
HEALTH_CHECK_TIMEOUT: Range = (2, 120)
HEALTHY_THRESHOLD: Range = (2, 10)
UNHEALTHY_THRESHOLD: Range = (2, 10)
# Matcher: HttpCode for ALB and NLB target groups, GrpcCode for ALB gRPC target groups.
MATCHER_RANGES: dict[str, Range] = {"alb": (200, 499), "nlb": (200, 599), "grpc": (0, 99)}

# TargetGroupAttribute.
DEREGISTRATION_DELAY: Range = (0, 3600)
SLOW_START: Range = (30, 900)  # 0 turns slow start off
COOKIE_DURATION: Range = (1, 604800)
UNHEALTHY_DRAINING_INTERVAL: Range = (0, 360000)
RESERVED_COOKIE_PREFIXES = ("AWSALB", "AWSALBAPP", "AWSALBTG")

# LoadBalancerAttribute (ALB).
IDLE_TIMEOUT: Range = (1, 4000)
CLIENT_KEEP_ALIVE: Range = (60, 604800)

# CreateLoadBalancer Name: at most 32 alphanumerics or hyphens, no hyphen at either end, not "internal-".
LOAD_BALANCER_NAME_MAX = 32

_CODES = re.compile(r"^\d+(-\d+)?(,\d+(-\d+)?)*$")


def success_codes_problem(codes: str, accepted: Range) -> str | None:
    """Why ELB rejects the success codes ``codes`` (``200``, ``200,202``, ``200-299``), or None."""
    low, high = accepted
    compact = codes.replace(" ", "")
    if not _CODES.match(compact):
        return f"success codes {codes!r} must be codes, lists (200,202) or ranges (200-299)"
    numbers = [int(n) for n in re.split(r"[,-]", compact)]
    if any(not low <= number <= high for number in numbers):
        return f"success codes {codes!r} must lie within {low}-{high} for this target group: it is rejected"
    return None
