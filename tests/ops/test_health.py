"""Probes, request IDs and structured logs, through HTTP."""

import json
import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from trygg.core.jobs import schedule
from trygg.core.observability import RequestIdFilter

pytestmark = pytest.mark.django_db


def test_healthz_answers_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_database_and_migrations(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "queue": "ok"}


def test_readyz_is_unavailable_while_a_migration_is_pending(client):
    MigrationRecorder.Migration.objects.filter(app="mapping", name="0002_questionnaire_v1").delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "migrations": "pending", "queue": "unknown"},
    }


def test_readyz_is_unavailable_while_no_worker_takes_due_tasks(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = schedule.tick.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(minutes=6))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == "stalled"

    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(minutes=1))
    assert client.get("/readyz").status_code == 200


def test_probes_refuse_writes(client):
    assert client.post("/healthz").status_code == 405


def test_a_request_id_is_made_or_kept(client):
    made = client.get("/healthz")["X-Request-ID"]
    assert len(made) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "nginx-1a2b.3"})["X-Request-ID"] == "nginx-1a2b.3"
    assert client.get("/healthz", headers={"X-Request-ID": "<script>"})["X-Request-ID"] != "<script>"


def test_each_request_is_logged_as_json_with_its_id(client, settings):
    """The production profile's formatter and filter, as settings.LOGGING configures them."""
    options = dict(settings.LOGGING["formatters"]["json"])
    handler = logging.StreamHandler(stream := StringIO())
    handler.setFormatter(import_string(options.pop("()"))(**options))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("trygg.request")
    logger.addHandler(handler)
    try:
        response = client.get("/kommuner/", headers={"X-Request-ID": "probe-42"})
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert response["X-Request-ID"] == "probe-42"
    assert line["request_id"] == "probe-42"
    assert line["level"] == "INFO"
    assert line["message"] == "GET /kommuner/ 200"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/kommuner/", 200)
    assert line["duration_ms"] >= 0
