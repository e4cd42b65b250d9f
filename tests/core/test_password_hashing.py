"""Passwords are hashed with Argon2id as production does (the other tests use a fast hasher); older PBKDF2 hashes
still log in and are re-hashed at once."""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client

from tests.conftest import PASSWORD, make_user
from trygg import settings as project_settings
from trygg.core.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def contact_with_a_pbkdf2_hash() -> User:
    user = make_user(Role.MUNICIPAL_CONTACT, username="kari")
    # A hash from before Argon2 (fewer iterations than Django's default, so the test stays fast).
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "oldsalt12345", iterations=1000)
    user.save(update_fields=["password"])
    return user


def login(client, password):
    return client.post("/konto/logg-inn/", {"username": "kari", "password": password})


def test_a_new_password_is_hashed_with_argon2id_at_owasp_strength_or_more(production_hashers, municipalities):
    user = make_user(Role.MUNICIPAL_CONTACT, username="kari")
    algorithm, variety, _version, parameters, *_ = user.password.split("$")
    assert (algorithm, variety) == ("argon2", "argon2id")
    cost = dict(part.split("=") for part in parameters.split(","))
    assert int(cost["m"]) >= 19 * 1024 and int(cost["t"]) >= 2 and int(cost["p"]) >= 1


def test_a_pbkdf2_hash_logs_in_and_becomes_argon2(production_hashers, municipalities):
    user = contact_with_a_pbkdf2_hash()
    client = Client()
    assert login(client, PASSWORD).status_code == 302
    assert client.get("/oversikt/").status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    # The new hash logs in too.
    assert login(Client(), PASSWORD).status_code == 302


def test_a_wrong_password_is_refused_and_the_old_hash_kept(production_hashers, municipalities):
    user = contact_with_a_pbkdf2_hash()
    old = user.password
    response = login(Client(), "wrong-password-here")
    assert response.status_code == 200
    assert "brukernavn og passord" in response.text.lower()
    user.refresh_from_db()
    assert user.password == old


def test_throttling_still_locks_out_with_argon2(production_hashers, municipalities):
    make_user(Role.MUNICIPAL_CONTACT, username="kari")
    client = Client()
    for _ in range(4):
        assert login(client, "wrong-password-here").status_code == 200
    assert login(client, "wrong-password-here").status_code == 429
    assert login(client, PASSWORD).status_code == 429, "even the right password is refused while locked"
    assert client.get("/oversikt/").status_code == 302
