"""The audit trail's two doors: who is acting, and reads of sensitive data.

Writes of domain models are recorded by django-auditlog's signals (all models, see settings). Reads are not
visible to signals, so every view, API endpoint or export that shows a sensitive object calls ``record_read``.
"""

from auditlog.context import auditlog_value, set_extra_data
from auditlog.signals import accessed


def record_read(instance) -> None:
    """Record that the acting user has seen ``instance`` (an ACCESS entry in the audit trail)."""
    accessed.send(sender=instance.__class__, instance=instance)


def bind_actor(user) -> None:
    """Name the acting user after the request began, e.g. once an API token has been checked.

    AuditContextMiddleware captured the session's user when the request began; token-authenticated API calls
    only learn their user later.
    """
    try:
        auditlog_value.get()["actor"] = user
    except LookupError:
        return


def acting_as(user, source: str):
    """Context manager for writes made outside a request (management commands, scripts)."""
    return set_extra_data({"actor": user, "source": source})
