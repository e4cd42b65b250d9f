"""Request IDs and one structured log line per request, so that an operator can follow a request across logs.

nginx (or any proxy) may pass its own ``X-Request-ID``; a well-formed one is kept, anything else is replaced. The ID
goes back in the response header and into every log record written while the request runs.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

_request_id: ContextVar[str] = ContextVar("request_id", default="-")
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{1,128}")
HEADER = "X-Request-ID"

logger = logging.getLogger("trygg.request")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request: commands, workers, start-up)."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request.request_id = given if _WELL_FORMED.fullmatch(given) else uuid.uuid4().hex
        token = _request_id.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
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
            _request_id.reset(token)
