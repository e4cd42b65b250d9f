"""Report reads on a read replica, when one is configured (``DATABASE_REPLICA_URL``); everything else on default.

Code that only reads for a report (the situation brief, the national picture's exports) runs inside
``reports()``; there, and only there, reads go to the replica. Writes, and reads anywhere else, stay on the
primary, so a user always sees what they just saved. A replica may lag by seconds, which a report can bear.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def reports():
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_reports.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same data as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
