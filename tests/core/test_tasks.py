"""Background work: the real database queue run by ``db_worker``, retries with backoff, jobs with progress that only
their owner sees, e-mail that is never sent twice, the worker's periodic tick, and no state in a web process."""

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.conftest import logged_in_client
from trygg.core import mail
from trygg.core.jobs import policy, progress, schedule
from trygg.core.models import Job, OutgoingMail, Schedule

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
REPO = Path(__file__).resolve().parents[2]


def run_worker():
    """What `manage.py db_worker --batch` does: run every task that is due, then stop (and give the test process
    back the signal handlers the worker took over)."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


@pytest.fixture
def db_queue(settings, transactional_db):
    """The real queue: tasks wait in the database until a worker runs them (committed, as in production)."""
    settings.TASKS = DB_QUEUE
    DBTaskResult.objects.all().delete()
    Schedule.objects.all().delete()


class FailsOnce(EmailBackend):
    """An SMTP server that is down for the first message and up afterwards."""

    failed = False

    def send_messages(self, messages):
        if not FailsOnce.failed:
            FailsOnce.failed = True
            raise ConnectionRefusedError("SMTP server down")
        return super().send_messages(messages)


@progress.job_task
def count_to(tracker, n: int) -> None:
    """A job for the tests: counts, reports progress, ends with a file."""
    for i in range(n):
        tracker.update(100 * i // n, f"{i} of {n}")
    tracker.finish_file("count.txt", str(n).encode())


@progress.job_task
def always_fails(tracker, reason: str) -> None:
    if reason:
        raise progress.Failed(reason)
    raise RuntimeError("a bug with private details")


def queue(user, the_task=count_to, *args):
    return progress.start(user, "Telling", the_task, *(args or (3,)))


# The real queue ----------------------------------------------------------------------------------------


def test_email_waits_in_the_database_queue_until_the_worker_sends_it(db_queue, mailoutbox):
    mail.send_templated("mapping/email/reminder_subject.txt", "mapping/email/reminder.txt", {}, ["a@example.org"])
    assert mailoutbox == []
    assert DBTaskResult.objects.filter(status="READY").get().task_path == "trygg.core.mail.deliver"

    run_worker()

    assert [m.to for m in mailoutbox] == [["a@example.org"]]
    assert mailoutbox[0].extra_headers["Message-ID"].startswith(f"<{OutgoingMail.objects.get().pk}@")
    assert OutgoingMail.objects.get().state == OutgoingMail.State.SENT
    run_worker()
    assert len(mailoutbox) == 1


def test_a_failed_send_is_retried_later_with_backoff_and_sent_once(db_queue, settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.FailsOnce"
    FailsOnce.failed = False
    message = mail.send_templated("mapping/email/reminder_subject.txt", "mapping/email/reminder.txt", {}, ["b@x.no"])

    before = timezone.now()
    run_worker()

    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutgoingMail.State.PENDING, 1)
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert before + dt.timedelta(seconds=29) < retry.run_after < timezone.now() + dt.timedelta(seconds=31)
    run_worker()  # not due yet
    assert mailoutbox == []

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()

    message.refresh_from_db()
    assert (message.state, message.attempts) == (OutgoingMail.State.SENT, 2)
    assert len(mailoutbox) == 1


def test_a_job_shows_its_progress_until_the_worker_has_made_the_file(db_queue, users):
    owner = users["partner"]
    client = logged_in_client(owner)
    job = queue(owner)
    page = client.get(reverse("core:job", args=[job.pk]))
    html = page.content.decode()
    assert '<progress max="100" value="0"' in html
    assert 'hx-trigger="every 1s"' in html and 'aria-live="polite"' in html
    assert reverse("core:job", args=[job.pk]) in html  # the refresh link, for a browser without JavaScript
    assert ' style="' not in html and "<script>" not in html
    status = reverse("core:job_status", args=[job.pk])
    assert client.get(status, HTTP_HX_REQUEST="true").status_code == 200  # htmx polls on

    run_worker()

    done = client.get(status, HTTP_HX_REQUEST="true")
    assert done.status_code == 286  # htmx stops polling
    job.refresh_from_db()
    assert (job.state, job.percent, job.attempts) == (Job.State.DONE, 100, 1)
    assert reverse("core:job_file", args=[job.pk]) in done.content.decode()
    file = client.get(reverse("core:job_file", args=[job.pk]))
    assert file.getvalue() == b"3"
    assert "hx-trigger" not in client.get(reverse("core:job", args=[job.pk])).content.decode()


# Jobs --------------------------------------------------------------------------------------------------


def test_only_the_owner_sees_a_job(users, clients):
    job = queue(users["partner"])
    for name, owner_sees in (("core:job", 200), ("core:job_status", 200), ("core:job_file", 404)):  # not done yet
        url = reverse(name, args=[job.pk])
        assert clients["partner"].get(url).status_code == owner_sees
        for role in ("ks_admin", "ks_adviser", "municipal_contact"):
            assert clients[role].get(url).status_code == 404
        assert clients["anonymous"].get(url)["Location"].startswith(reverse("core:login"))


def test_a_job_runs_once_however_often_its_task_is_run(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = queue(users["partner"])
    job.refresh_from_db()
    first_file = job.result_file.name
    count_to.enqueue(str(job.pk), 3)  # a duplicate run, as after a lost acknowledgement
    job.refresh_from_db()
    assert (job.attempts, job.result_file.name) == (1, first_file)


def test_a_failing_job_is_retried_then_fails_without_showing_the_error(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = queue(users["partner"], always_fails, "")
    job.refresh_from_db()
    assert (job.state, job.attempts) == (Job.State.FAILED, policy.ATTEMPTS)
    assert "private" not in job.message
    page = logged_in_client(users["partner"]).get(reverse("core:job", args=[job.pk])).content.decode()
    assert "could not be finished" in page or "kunne ikke" in page


def test_a_job_that_cannot_be_done_says_why_at_once(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = queue(users["partner"], always_fails, "Too few municipalities.")
    job.refresh_from_db()
    assert (job.state, job.attempts, job.message) == (Job.State.FAILED, 1, "Too few municipalities.")


def test_backoff_doubles_and_is_capped():
    assert [policy.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert policy.backoff(20).total_seconds() == policy.MAX_DELAY


def test_progress_writes_are_throttled(users, django_assert_max_num_queries):
    job = queue(users["partner"])
    tracker = progress.claim(job.pk)
    with django_assert_max_num_queries(1):
        for percent in range(100):
            tracker.update(percent, "counting")
    assert progress.claim(job.pk) is None  # running, and another worker has it


# E-mail never twice ------------------------------------------------------------------------------------


def _interrupted(**fields) -> OutgoingMail:
    old = timezone.now() - progress.stale() - dt.timedelta(minutes=1)
    return OutgoingMail.objects.create(
        subject="S", body="B", to=["c@x.no"], state=OutgoingMail.State.SENDING, claimed_at=old, attempts=1, **fields
    )


def test_an_interrupted_send_is_repeated_once_and_never_a_third_time(db, mailoutbox):
    once = _interrupted()
    assert mail.deliver.call(str(once.pk)) == "sent"
    twice = _interrupted(interrupted=1)
    assert mail.deliver.call(str(twice.pk)) == "not sent a third time"
    assert [m.subject for m in mailoutbox] == ["S"]
    assert OutgoingMail.objects.get(pk=twice.pk).state == OutgoingMail.State.FAILED


def test_a_message_being_sent_by_another_worker_is_left_alone(db, mailoutbox):
    busy = OutgoingMail.objects.create(
        subject="S", body="B", to=["c@x.no"], state=OutgoingMail.State.SENDING, claimed_at=timezone.now()
    )
    assert mail.deliver.call(str(busy.pk)) == "another worker is sending it"
    assert mail.deliver.call(str(busy.pk)) != "sent" and mailoutbox == []


# The worker's periodic tick ----------------------------------------------------------------------------


def test_the_tick_renews_itself_recovers_lost_work_and_stops_stray_copies(db_queue, mailoutbox):
    lost = OutgoingMail.objects.create(subject="Lost", body="B", to=["d@x.no"])  # its task died with a worker
    OutgoingMail.objects.filter(pk=lost.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    assert schedule.ensure() is True
    assert schedule.ensure() is False  # one chain only

    run_worker()

    assert [m.subject for m in mailoutbox] == ["Lost"]
    following = DBTaskResult.objects.filter(status="READY").get()
    assert following.task_path == "trygg.core.jobs.schedule.tick"
    assert following.run_after > timezone.now() + schedule.interval() - dt.timedelta(minutes=1)
    assert Schedule.objects.get().task_result_id == str(following.task_result.id)

    stray = schedule.tick.enqueue()
    run_worker()
    assert DBTaskResult.objects.get(pk=stray.id).return_value == "stray"
    assert DBTaskResult.objects.filter(status="READY").count() == 1


# More than one machine ---------------------------------------------------------------------------------


def test_sessions_and_cache_live_in_the_shared_database(db):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    cache.set("trygg:test", {"shared": True})
    assert cache.get("trygg:test") == {"shared": True}


def _settings_in(env: dict, code: str) -> str:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "trygg.settings", **env}
    script = f"import django; django.setup(); from django.conf import settings; {code}"
    return subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True, cwd=REPO
    ).stdout.strip()


def test_files_go_to_object_storage_when_s3_is_configured():
    env = {"S3_BUCKET": "trygg-filer", "S3_ENDPOINT_URL": "https://s3.example.no", "S3_ACCESS_KEY_ID": "k"}
    code = (
        "from django.core.files.storage import default_storage as s; s.bucket_name; "
        "print(type(s._wrapped).__name__, s.bucket_name, s.endpoint_url, s.default_acl, s.querystring_auth)"
    )
    assert _settings_in(env, code) == "S3Storage trygg-filer https://s3.example.no private True"
    assert _settings_in({}, "print(settings.STORAGES['default']['BACKEND'])").endswith("FileSystemStorage")


def test_report_reads_go_to_the_replica_when_one_is_configured(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{primary}", "TRYGG_VAR_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env={**os.environ, **env}, check=True, cwd=REPO)
    shutil.copy(primary, replica)  # a replica that has not yet seen the write below
    code = (
        "from trygg import dbrouter; from trygg.core.models import Organisation as O; "
        "O.objects.create(name='Ny'); "
        "with_reports = dbrouter.reports(); with_reports.__enter__(); "
        "print(O.objects.count(), O.objects.all().db, end=' '); with_reports.__exit__(None, None, None); "
        "print(O.objects.count(), O.objects.all().db)"
    )
    assert _settings_in({**env, "DATABASE_REPLICA_URL": f"sqlite:///{replica}"}, code) == "0 replica 1 default"
    assert _settings_in(env, code.replace("O.objects.create(name='Ny'); ", "")) == "1 default 1 default"
