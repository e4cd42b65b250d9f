"""Probes for load balancers and process supervisors: JSON, no login, no session, no database write."""

from datetime import timedelta

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

# A task due this long ago and still not started means no worker is taking work from the queue.
STALLED_AFTER = timedelta(minutes=5)


@never_cache
@require_safe
def healthz(request):
    """The process is up and answers; says nothing about what it depends on."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Ready for traffic: the database answers, every migration is applied and the task queue moves (503 with the
    failing check)."""
    checks = {"database": _database(), "migrations": _migrations()}
    checks["queue"] = _queue() if checks["migrations"] == "ok" else "unknown"
    ready = all(check == "ok" for check in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unreachable"
    return "ok"


def _migrations() -> str:
    try:
        loader = MigrationLoader(connection)
        pending = set(loader.graph.nodes) - set(loader.applied_migrations)  # any, not only the newest of an app
    except DatabaseError:
        return "unknown"
    return "pending" if pending else "ok"


def _queue() -> str:
    due = timezone.now() - STALLED_AFTER
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after=get_date_max(), enqueued_at__lt=due) | Q(run_after__lt=due)
    )
    try:
        return "stalled" if waiting.exists() else "ok"
    except DatabaseError:
        return "unknown"
