"""Request IDs and one structured log line per request, so that an operator can follow a request across logs.

nginx (or any proxy) may pass its own ``X-Request-ID``; a well-formed one is kept, anything else is replaced. The ID
goes back in the response header and into every log record written while the request runs.

Requests to ``settings.UNLOGGED_PATH_PREFIXES`` (the youth survey's anonymous pupil pages) leave no trace: no
request line, and no record below ERROR while they run, so no log ties a time or an address to an answer.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_unlogged: ContextVar[bool] = ContextVar("unlogged", default=False)
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,128}")
HEADER = "X-Request-ID"

logger = logging.getLogger("trygg.request")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request: commands, workers, start-up)."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return record.levelno >= logging.ERROR or not (_unlogged.get() or _about_unlogged(record))


def _about_unlogged(record) -> bool:
    """Django's own lines about such a request, written after the middleware ends ("Conflict: /ung/…")."""
    path = getattr(getattr(record, "request", None), "path", None)
    if path is not None:
        return unlogged(path)
    return record.name == "django.server" and any(
        f" {prefix}" in record.getMessage() for prefix in getattr(settings, "UNLOGGED_PATH_PREFIXES", ())
    )


def unlogged(path: str) -> bool:
    return path.startswith(tuple(getattr(settings, "UNLOGGED_PATH_PREFIXES", ())))


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.request_id = given if _WELL_FORMED.fullmatch(given) else uuid.uuid4().hex
        token = _request_id.set(request.request_id)
        quiet = _unlogged.set(unlogged(request.path))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            if _unlogged.get():
                return response
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _unlogged.reset(quiet)
            _request_id.reset(token)
