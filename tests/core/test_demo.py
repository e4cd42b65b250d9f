import pytest
from django.core.management import call_command

from trygg.core.models import AuditEntry, Municipality, Organisation, Person, User

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Municipality.objects.count(),
        Organisation.objects.count(),
        Person.objects.count(),
        sorted(User.objects.values_list("username", "role")),
        sorted(User.objects.values_list("password", flat=True)),
    )


def test_demo_loads_one_user_per_role_and_is_idempotent(municipalities, capsys):
    call_command("load_demo")
    first = snapshot()
    audit_entries = AuditEntry.objects.count()
    call_command("load_demo")
    assert snapshot() == first
    assert AuditEntry.objects.count() == audit_entries
    assert {role for _, role in first[3]} == {"ks_admin", "ks_adviser", "municipal_contact", "partner"}
    assert Person.objects.filter(name="Tore Bjørgo", organisation__short_name="PHS").exists()
    out = capsys.readouterr().out
    assert "admin" in out and "kontakt" in out


def test_demo_two_factor_code_command(municipalities, capsys):
    call_command("load_demo")
    capsys.readouterr()
    call_command("totp_code", "admin")
    code = capsys.readouterr().out.strip()
    assert len(code) == 6 and code.isdigit()
