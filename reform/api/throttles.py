"""DRF's rate limits, counted in the cache (Redis in production), that let requests through while
the cache does not answer: Redis restarting must not stop the API. The sign-in lock-out, which
guards passwords, counts in the database and holds regardless (orgs.lockout)."""

import logging

from redis.exceptions import RedisError
from rest_framework import throttling

logger = logging.getLogger(__name__)


class ToleratesCacheOutage:
    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError):
            logger.warning("rate limit not counted: the cache does not answer", exc_info=True)
            return True


class AnonRateThrottle(ToleratesCacheOutage, throttling.AnonRateThrottle):
    """Requests without a sign-in, per address."""


class UserRateThrottle(ToleratesCacheOutage, throttling.UserRateThrottle):
    """Requests per signed-in user."""


class ScopedRateThrottle(ToleratesCacheOutage, throttling.ScopedRateThrottle):
    """Requests to one door (the token's), per address or user."""
