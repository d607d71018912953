"""Is the platform alive (``/healthz``: the process answers) and ready (``/readyz``: its database, its
Redis when it has one, and a worker that has shown itself within READY_HEARTBEAT_MINUTES)? For load
balancers, container health checks and monitoring; no sign-in, nothing but yes or no and why."""

import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from reform.models import Heartbeat

WORKER = "worker"


def record_heartbeat(name: str = WORKER) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


def _database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return False, f"database: {error.__class__.__name__}"
    return True, "database answers"


def _redis() -> tuple[bool, str]:
    if not settings.REDIS_URL:
        return True, "no Redis configured"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError as error:
        return False, f"Redis: {error.__class__.__name__}"
    return True, "Redis answers"


def _worker() -> tuple[bool, str]:
    try:
        beat_at = Heartbeat.objects.filter(name=WORKER).values_list("beat_at", flat=True).first()
    except DatabaseError:
        return False, "worker: unknown (no database)"
    if beat_at is None:
        return False, "worker: never seen"
    age = timezone.now() - beat_at
    if age > datetime.timedelta(minutes=settings.READY_HEARTBEAT_MINUTES):
        return False, f"worker: last seen {int(age.total_seconds())} s ago"
    return True, f"worker seen {int(age.total_seconds())} s ago"


@never_cache
def healthz(request):
    return JsonResponse({"status": "alive"})


@never_cache
def readyz(request):
    checks = {"database": _database(), "redis": _redis(), "worker": _worker()}
    ready = all(ok for ok, _ in checks.values())
    body = {
        "status": "ready" if ready else "not ready",
        "checks": {k: {"ok": ok, "detail": d} for k, (ok, d) in checks.items()},
    }
    return JsonResponse(body, status=200 if ready else 503)
