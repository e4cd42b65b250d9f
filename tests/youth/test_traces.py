"""Anonymity beyond the answer tables: a pupil's visit leaves nothing that ties a code, an address, a browser or a
time to an answer set — in any table of the database (sessions, the cache, the task queue, the audit trail
included), in Django's log (also the development server's request lines), or in the access logs of the web server
as Trygg starts it (gunicorn) and as deploy/ configures it (nginx)."""

import datetime as dt
import io
import logging
import re
import shlex
import subprocess
import types
import uuid
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import connection
from django.test import Client
from django.urls import reverse
from gunicorn.config import Config

from tests.youth.conftest import codes
from tests.youth.test_collection import answer_everything
from trygg.youth.models import Inbox

pytestmark = pytest.mark.django_db

ADDRESS, FORWARDED, BROWSER = "203.0.113.7", "198.51.100.23", "PupilPhone/1.0 (Chromebook; Klasse 9A)"


def repo_root() -> Path:
    here = Path(__file__).resolve()
    return next(parent for parent in here.parents if (parent / "manage.py").exists())


@pytest.fixture
def console():
    """What the configured log handler writes (every logger that writes goes through it, also those that do not
    pass records on to the root, as runserver's does)."""
    (handler,) = [handler for handler in logging.getLogger().handlers if handler.name == "console"]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def every_row() -> dict[str, set[str]]:
    """Every row of every table in the database, as text, by table: whatever Django or a library writes."""
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (names from the database)
            rows[table] = {repr(row) for row in cursor.fetchall()}
    return rows


def test_a_pupils_visit_writes_only_the_spent_code_and_the_dateless_answer_set(running, settings, console):
    settings.YOUTH_INBOX_BATCH = 10  # one pupil of twelve: the answer set waits in the inbox
    pupil = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=BROWSER, HTTP_X_FORWARDED_FOR=FORWARDED)
    first, second = codes(running)[:2]
    before = every_row()
    pupil.get(reverse("youth:start"))
    final, _data = answer_everything(pupil, first, {"gender": "girl", "drunk": "once", "close_friends": "4"})
    assert final.status_code == 302
    device_id = str(uuid.uuid4())
    sent = {"action": "send", "code": second, "sid": device_id, "lang": "nb", "a-gender": "boy", "a-drunk": "never"}
    assert pupil.post(reverse("youth:answer"), sent, HTTP_X_REQUESTED_WITH="fetch").json()["status"] == "accepted"
    after = every_row()
    assert console.getvalue() == ""

    changed = {table for table in after if after[table] != before.get(table, set())}
    assert changed == {"youth_accesscode", "youth_inbox"}, "no session, cache, task, audit or log row"
    assert settings.SESSION_COOKIE_NAME not in pupil.cookies
    new = {table: after[table] - before.get(table, set()) for table in changed}
    for table, rows in after.items():
        text = "\n".join(rows)
        assert ADDRESS not in text and FORWARDED not in text and "PupilPhone" not in text, table
        if table != "youth_accesscode":
            assert first not in text and second not in text, f"a code in {table}"
        if table != "youth_inbox":
            assert uuid.UUID(device_id).hex not in text.replace("-", ""), f"the device's ID in {table}"
    assert len(new["youth_inbox"]) == 2 and len(new["youth_accesscode"]) == 2  # two codes now marked used
    for answer_set in Inbox.objects.all():
        assert type(answer_set.submitted_on) is dt.date  # the day, no time
        assert {field.get_internal_type() for field in Inbox._meta.concrete_fields}.isdisjoint(
            {"DateTimeField", "TimeField", "GenericIPAddressField", "IPAddressField"}
        )


def test_the_development_servers_request_lines_skip_the_pupil_pages(console):
    """`make run` serves through runserver, whose handler logs each request itself ("django.server")."""
    handler = types.SimpleNamespace(request=None, log_date_time_string=lambda: "30/Nov/2026 10:03:12")
    for line, status in (("GET /ung/ HTTP/1.1", "200"), ("POST /ung/svar/ HTTP/1.1", "409"),
                         ("POST /ung/svar/ HTTP/1.1", "403"), ("GET /ung/takk/?lang=en HTTP/1.1", "200")):  # fmt: skip
        WSGIRequestHandler.log_message(handler, '"%s" %s %s', line, status, "512")
    assert console.getvalue() == ""
    WSGIRequestHandler.log_message(handler, '"%s" %s %s', "GET /oversikt/ HTTP/1.1", "200", "512")
    assert '"GET /oversikt/ HTTP/1.1" 200' in console.getvalue(), "other requests are still logged"


def gunicorn_commands() -> list[tuple[Path, str]]:
    """Every place in the repository that starts gunicorn (found by searching, so a new one is checked too)."""
    root = repo_root()
    tracked = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True).stdout
    found = []
    for name in tracked.split():
        path = root / name
        if path.suffix in {".py", ".sh", ".service", ".conf", ".toml", ".cfg", ".ini", ""} and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            if "gunicorn" in text and not name.startswith(("tests/", "src/")):
                found.append((path.relative_to(root), text))
    return found


ACCESS_LOG_OPTIONS = ("--access-logfile", "--access-log", "accesslog", "GUNICORN_CMD_ARGS", "--config", "gunicorn.conf")


def test_gunicorn_as_trygg_starts_it_keeps_no_access_log():
    """gunicorn writes an access log only when told to (an option, GUNICORN_CMD_ARGS or a gunicorn.conf.py in the
    working directory): none of the places that start it tells it to."""
    assert Config().accesslog is None, "gunicorn's default: no access log"
    root = repo_root()
    assert not list(root.glob("gunicorn.conf.py")) and not list(root.glob("*/gunicorn.conf.py"))
    commands = gunicorn_commands()
    names = {str(path) for path, _text in commands}
    assert {"deploy/serve.sh", "deploy/trygg-web.service", "bench/stack.py"} <= names, names
    for path, text in commands:
        for option in ACCESS_LOG_OPTIONS:
            assert option not in text, f"{path} sets {option}"
    service = dict(commands)[Path("deploy/trygg-web.service")]
    command = re.search(r"ExecStart=(.*?)\n(?!\s)", service, re.S).group(1).replace("\\\n", " ")
    parsed = Config().parser().parse_args(shlex.split(command)[1:])
    assert parsed.accesslog is None and parsed.config is None


def test_nginx_keeps_no_access_log_of_the_pupil_pages_and_passes_no_address_on():
    nginx = (repo_root() / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    block = re.search(r"location /ung/ \{(.*?)\n    \}", nginx, re.S).group(1)
    assert re.search(r"^\s*access_log off;", block, re.M)
    assert "X-Forwarded-For" not in block and "X-Real-IP" not in block and "$remote_addr" not in block
    assert "$request_id" not in block  # an ID in nginx's other logs would pair up with Trygg's
