"""Login: throttling for everyone, two-factor (TOTP, backup codes) for KS staff."""

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, current_code, logged_in_client, make_user
from trygg.core.models import AuditEntry, Role

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/konto/logg-inn/", {"username": username, "password": password})


def test_municipal_contact_logs_in_without_second_factor(municipalities):
    make_user(Role.MUNICIPAL_CONTACT, username="kari")
    client = Client()
    response = login(client, "kari", PASSWORD)
    assert response.status_code == 302
    assert client.get("/oversikt/").status_code == 200


def test_wrong_password_is_refused_with_a_message(municipalities):
    make_user(Role.MUNICIPAL_CONTACT, username="kari")
    response = login(Client(), "kari", "wrong")
    assert response.status_code == 200
    assert "brukernavn og passord" in response.text.lower()


def test_repeated_bad_passwords_lock_the_attempt_window(municipalities):
    make_user(Role.MUNICIPAL_CONTACT, username="kari")
    client = Client()
    for _ in range(4):
        assert login(client, "kari", "wrong").status_code == 200
    locked = login(client, "kari", "wrong")
    assert locked.status_code == 429
    assert "15 minutter" in locked.text
    # Even the right password is refused while the window is locked.
    assert login(client, "kari", PASSWORD).status_code == 429
    assert client.get("/oversikt/").status_code == 302


def test_staff_must_confirm_a_code_before_anything_else(municipalities):
    staff = make_user(Role.KS_ADVISER, username="rita")
    client = Client()
    response = login(client, "rita", PASSWORD)
    dashboard = client.get("/oversikt/")
    assert dashboard.status_code == 302 and dashboard["Location"].startswith("/konto/tofaktor/")
    wrong = client.post("/konto/tofaktor/", {"token": "000000" if current_code(staff) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "koden er feil" in wrong.text.lower()
    malformed = client.post("/konto/tofaktor/", {"token": "12ab"})
    assert "seks sifrene" in malformed.text.lower()
    # django-otp backs off after a wrong code; the page says how long to wait instead of "wrong code".
    throttled = client.post("/konto/tofaktor/", {"token": current_code(staff)})
    assert "for mange feil koder" in throttled.text.lower()
    TOTPDevice.objects.filter(user=staff).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    response = client.post("/konto/tofaktor/", {"token": current_code(staff), "next": "/personer/"})
    assert response.status_code == 302 and response["Location"] == "/personer/"
    assert client.get("/personer/").status_code == 200


def test_staff_without_an_app_pairs_one_first(municipalities):
    from django_otp.oath import totp

    staff = make_user(Role.KS_ADMIN, username="ny")
    TOTPDevice.objects.filter(user=staff).delete()
    client = Client()
    login(client, "ny", PASSWORD)
    assert client.get("/konto/tofaktor/")["Location"] == "/konto/tofaktor/oppsett/"
    page = client.get("/konto/tofaktor/oppsett/")
    assert "<svg" in page.text
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert client.post("/konto/tofaktor/oppsett/", {"token": f"{totp(device.bin_key):06d}"}).status_code == 302
    assert TOTPDevice.objects.get(user=staff).confirmed
    assert client.get("/revisjonsspor/").status_code == 200


def test_external_next_is_ignored(municipalities):
    staff = make_user(Role.KS_ADVISER, username="rita")
    client = Client()
    login(client, "rita", PASSWORD)
    response = client.post("/konto/tofaktor/", {"token": current_code(staff), "next": "https://evil.example/"})
    assert response["Location"] == "/oversikt/"


def test_admin_requires_the_second_factor(municipalities):
    staff = make_user(Role.KS_ADMIN, username="ada")
    client = Client()
    login(client, "ada", PASSWORD)
    assert client.get("/admin/").status_code == 302
    client.post("/konto/tofaktor/", {"token": current_code(staff)})
    assert client.get("/admin/").status_code == 200


def test_logout(municipalities):
    make_user(Role.PARTNER, username="per")
    client = Client()
    login(client, "per", PASSWORD)
    client.post("/konto/logg-ut/")
    assert client.get("/oversikt/").status_code == 302


def test_the_session_key_changes_after_the_second_factor_too(municipalities, settings):
    """A session id seen before the code was confirmed (a shared screen, a proxy log) is worth nothing after it."""
    staff = make_user(Role.KS_ADVISER, username="rita")
    client = Client()
    login(client, "rita", PASSWORD)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/konto/tofaktor/", {"token": current_code(staff)})
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = before
    assert stolen.get("/oversikt/").status_code == 302
    assert client.get("/oversikt/").status_code == 200


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_password_spraying_from_one_address_is_stopped_across_user_names(municipalities, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    for name in ("kari", "ola", "per"):
        make_user(Role.MUNICIPAL_CONTACT, username=name)
    attacker = from_address("203.0.113.9")
    for name in ("kari", "ola", "per", "kari", "ola"):  # at most two tries each: far below the per-name limit
        assert login(attacker, name, "Sommer2026!").status_code == 200
    assert login(attacker, "per", "Sommer2026!").status_code == 429
    assert login(attacker, "kari", PASSWORD).status_code == 429, "the address is locked, even with a right password"
    assert login(from_address("198.51.100.7"), "kari", PASSWORD).status_code == 302, "other addresses are not"


def test_a_stranger_behind_the_office_address_cannot_lock_out_the_office(municipalities, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    make_user(Role.MUNICIPAL_CONTACT, username="kari")
    office = "192.0.2.10"
    assert login(from_address(office), "kari", PASSWORD).status_code == 302  # kari works here
    stranger = from_address(office)
    for name in ("ola", "per", "nils", "anne", "lise", "tor", "eva"):
        login(stranger, name, "Sommer2026!")
    assert login(stranger, "siri", "Sommer2026!").status_code == 429
    assert login(from_address(office), "kari", PASSWORD).status_code == 302


def test_one_name_tried_from_many_addresses_is_locked_except_where_its_owner_logs_in(municipalities, settings):
    settings.LOGIN_FAILURES_PER_USERNAME = 6
    make_user(Role.MUNICIPAL_CONTACT, username="kari")
    assert login(from_address("192.0.2.10"), "kari", PASSWORD).status_code == 302
    for host in range(5):
        assert login(from_address(f"203.0.113.{host}"), "kari", "Sommer2026!").status_code == 200
    assert login(from_address("203.0.113.5"), "kari", "Sommer2026!").status_code == 429
    assert login(from_address("203.0.113.200"), "kari", PASSWORD).status_code == 429
    assert login(from_address("192.0.2.10"), "kari", PASSWORD).status_code == 302


def test_behind_the_proxy_each_visitor_is_throttled_by_their_own_address(municipalities, settings):
    """With nginx in front (PROXY_COUNT=1) every request comes from 127.0.0.1; the visitor is in X-Forwarded-For."""
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    settings.PROXY_COUNT = 1
    make_user(Role.MUNICIPAL_CONTACT, username="kari")

    def via_proxy(visitor: str, claimed: str = "10.0.0.1") -> Client:
        """nginx appends the address it saw to whatever the visitor claimed."""
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"{claimed}, {visitor}")

    for name in ("ola", "per", "nils"):
        login(via_proxy("203.0.113.9"), name, "Sommer2026!")
    assert login(via_proxy("203.0.113.9"), "kari", PASSWORD).status_code == 429
    assert login(via_proxy("203.0.113.9", claimed="198.51.100.7"), "kari", PASSWORD).status_code == 429
    assert login(via_proxy("198.51.100.7"), "kari", PASSWORD).status_code == 302


# Backup codes: a lost phone must not lock KS staff out, nor let a stolen password in.

BACKUP_CODE = re.compile(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>")


def make_backup_codes(client) -> list[str]:
    page = client.post("/konto/tofaktor/reservekoder/")
    assert page.status_code == 200
    return BACKUP_CODE.findall(page.text)


def test_staff_log_in_with_a_backup_code_once(municipalities):
    staff = make_user(Role.KS_ADVISER, username="rita")
    page = logged_in_client(staff).get("/konto/tofaktor/reservekoder/")
    assert "0 ubrukte reservekoder" in page.text
    codes = make_backup_codes(logged_in_client(staff))
    assert len(codes) == len(set(codes)) == 10
    client = Client()
    login(client, "rita", PASSWORD)
    typed = codes[3].upper().replace(" ", "-")  # as read aloud from paper: capitals and a dash do not matter
    response = client.post("/konto/tofaktor/", {"token": typed, "next": "/personer/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/personer/"
    assert "9 reservekoder igjen" in response.text
    again = Client()
    login(again, "rita", PASSWORD)
    assert "koden er feil" in again.post("/konto/tofaktor/", {"token": codes[3]}).text.lower()
    device = StaticDevice.objects.get(user=staff)
    device.token_set.create(token="lol2o3ko")
    device.throttle_reset()
    third = Client()
    login(third, "rita", PASSWORD)
    assert third.post("/konto/tofaktor/", {"token": "1O12 03K0"}).status_code == 302  # 0 and 1 read for o and l
    assert again.get("/personer/").status_code == 302


def test_new_backup_codes_void_the_old_and_are_kept_out_of_the_audit_trail(municipalities):
    staff = make_user(Role.KS_ADMIN, username="ada")
    old = make_backup_codes(logged_in_client(staff))
    new = make_backup_codes(logged_in_client(staff))
    assert not set(old) & set(new)
    client = Client()
    login(client, "ada", PASSWORD)
    assert "koden er feil" in client.post("/konto/tofaktor/", {"token": old[0]}).text.lower()
    StaticDevice.objects.filter(user=staff).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    assert client.post("/konto/tofaktor/", {"token": new[0]}).status_code == 302
    logged = " ".join(str(entry.changes) for entry in AuditEntry.objects.all())
    assert not any(code.replace(" ", "") in logged for code in old + new)


def test_a_password_alone_cannot_make_backup_codes(municipalities):
    staff = make_user(Role.KS_ADVISER, username="rita")
    client = Client()
    login(client, "rita", PASSWORD)
    response = client.post("/konto/tofaktor/reservekoder/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/tofaktor/?next=")
    assert not StaticDevice.objects.filter(user=staff).exists()
    assert Client().get("/konto/tofaktor/reservekoder/")["Location"].startswith("/konto/logg-inn/")


def test_pairing_an_app_leads_on_to_backup_codes(municipalities):
    from django_otp.oath import totp

    staff = make_user(Role.KS_ADMIN, username="ny")
    TOTPDevice.objects.filter(user=staff).delete()
    client = Client()
    login(client, "ny", PASSWORD)
    client.get("/konto/tofaktor/oppsett/")
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post("/konto/tofaktor/oppsett/", {"token": f"{totp(device.bin_key):06d}"}, follow=True)
    assert response.redirect_chain[-1][0] == "/konto/tofaktor/reservekoder/"
    assert len(make_backup_codes(client)) == 10
