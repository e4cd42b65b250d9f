"""Shared fixtures: reference data, one user per role, and logged-in clients (staff past two-factor login)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import formats, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.core.models import Area, Municipality, Role, User
from trygg.core.services import load_reference_data

PASSWORD = "correct-horse-battery-staple"
# A made-up identity number (15.05.1990) as people disguise it; tests/core/test_screening.py proves the screening
# itself, and each app's tests prove that every free text it takes refuses all of these.
IDENTITY_NUMBER_DISGUISES = [
    "15.05.90 10023",
    "1505 9010 023",
    "15\u00a005\u00a090\u00a010023",
    "1505\u200b9010023",
    "\uff11\uff15\uff10\uff15\uff19\uff10\uff11\uff10\uff10\uff12\uff13",  # full-width digits
]
# Names that hold nothing a reader can see: spaces, no-break and ideographic spaces, zero-width characters.
INVISIBLE_NAMES = ["   ", "\u200b\u200b", " \u00a0\ufeff\u2060 ", "\u3000"]
SCREENING_REFUSAL = "fødselsnummer eller D-nummer"
INVISIBLE_REFUSAL = "synlige tegn"
ROLES = ["anonymous", "ks_admin", "ks_adviser", "municipal_contact", "partner"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Reference data; and no periodic tick left queued by ``migrate``: tests run tasks at once, with no worker,
    so a tick waiting in the queue would only make /readyz report a stalled queue in a long run."""
    from django_tasks_db.models import DBTaskResult

    with django_db_blocker.unblock():
        load_reference_data()
        DBTaskResult.objects.all().delete()


@pytest.fixture
def municipalities(db):
    """The 357 municipalities; reloaded when a transactional test has flushed the database."""
    if not Municipality.objects.exists():
        load_reference_data()
    return Municipality.objects.all()


def make_user(role: str, username: str | None = None, **extra) -> User:
    user = User.objects.create_user(
        username=username or f"test_{role}", password=PASSWORD, email=f"{role}@example.org", role=role, **extra
    )
    if user.is_ks_staff:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def logged_in_client(user: User | None) -> Client:
    """A test client logged in as ``user``; KS staff are also past two-factor login."""
    client = Client()
    if user is None:
        return client
    client.force_login(user)
    if user.is_ks_staff:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
        session.save()
    return client


@pytest.fixture
def users(municipalities):
    """One user for each role (None for the anonymous visitor)."""
    return {
        "anonymous": None,
        "ks_admin": make_user(Role.KS_ADMIN),
        "ks_adviser": make_user(Role.KS_ADVISER),
        "municipal_contact": _contact(),
        "partner": make_user(Role.PARTNER, partner_areas=[Area.MAPPING]),
    }


def _contact() -> User:
    user = make_user(Role.MUNICIPAL_CONTACT)
    user.municipalities.set(Municipality.objects.filter(name__in=["Bergen", "Drammen"]))
    return user


@pytest.fixture
def clients(users):
    return {role: logged_in_client(user) for role, user in users.items()}


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Tests run without collectstatic (static files come from the apps), with a fast password hasher, with stored
    files (the guide's PDFs) in a folder of their own, and with background tasks run at once in the test's own
    process (tests/core/test_tasks.py proves the real queue)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def assert_no_cell_can_start_a_formula(csv_text: str) -> None:
    """However a spreadsheet splits the file (comma, semicolon, tab, line break) and trims the pieces, none starts
    a formula."""
    for piece in re.split(r"[,;\t\r\n]", csv_text):
        assert not piece.lstrip().lstrip('"').lstrip().startswith(("=", "+", "-", "@")), piece


def spoken(date: dt.date, language: str = "en") -> str:
    """A date as pages and e-mails write it ("Tuesday 23. March 2027", "tirsdag 23. mars 2027"): tests about the demo
    trip compare with the date it has on the day they run, as the demo places it relative to today."""
    with translation.override(language):
        return formats.date_format(date, "l j. F Y")


def migrated_apps(targets):
    """Migrate the test database to ``targets`` and return the historical models there (for migration tests)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def page_queries(client, path: str) -> tuple[int, str]:
    """The number of database queries a page costs, and its text (for tests that no list costs a query per row)."""
    with CaptureQueriesContext(connection) as captured:
        page = client.get(path)
    assert page.status_code == 200
    return len(captured), page.text
