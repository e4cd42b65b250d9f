"""Set-up for bench/load.py and bench/faults.py, run in the servers' environment after `load_demo`.

Gives every municipality of the demo round its own contact (so that report saving meets no edit conflicts), starts
the reports that are missing, makes signed-in, two-factor-verified sessions for the demo's KS staff (a TOTP code
can be used once, fifty simulated users cannot all type one), orders and approves a youth survey through the
youth services (as KS does) so that simulated pupils have unused one-time codes, and prints what the load users need
as JSON.
"""

import datetime as dt
import json
import os
import sys
from importlib import import_module

import django

PASSWORD = "trygg-last-2026"  # noqa: S105 (throwaway users in a throwaway database)


def main(staff_sessions: int, pupils: int = 500) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from trygg.cases.models import Case
    from trygg.core.audit import acting_as
    from trygg.core.models import Role, User
    from trygg.events.models import Event
    from trygg.mapping import demo as mapping_demo
    from trygg.mapping.models import Report, Round
    from trygg.mapping.reports import start_report
    from trygg.youth import services as youth

    round = Round.objects.get(is_demo=True, name=mapping_demo.ROUND_NAME)
    event = Event.objects.get(pk=round.event_id)
    invited = set(event.invitations.values_list("municipality_id", flat=True))
    contacts = []
    with acting_as(None, "bench/load_setup.py"):
        for municipality in round.municipalities.filter(pk__in=invited).order_by("number"):
            user = User.objects.create_user(
                username=f"last{municipality.number}", password=PASSWORD, email="last@bench.invalid",
                role=Role.MUNICIPAL_CONTACT,
            )  # fmt: skip
            user.municipalities.set([municipality])
            report = Report.objects.filter(round=round, municipalities=municipality).first()
            if report is None:
                report = start_report(user, round, [municipality])
            editable = report.status == Report.Status.DRAFT
            contacts.append(
                {"username": user.username, "number": municipality.number, "report": editable and report.pk}
            )

        survey = _youth_survey(youth, User.objects.get(username="admin"), pupils)

    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = {}
    for username in ("admin", "radgiver"):
        user = User.objects.get(username=username)
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        sessions[username] = []
        for _ in range(staff_sessions):
            session = store()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.create()
            sessions[username].append(session.session_key)
    return {
        "event": event.pk,
        "round": round.pk,
        "case": Case.objects.filter(demo=True).order_by("pk").first().pk,
        "password": PASSWORD,
        "contacts": contacts,
        "sessions": sessions,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "survey": survey.pk,
        "codes": [code for sheet in youth.code_sheets(survey) for code in sheet["codes"]],
    }


def _youth_survey(youth, admin, pupils: int):
    """A survey running this week in Oslo with ``pupils`` codes or more (classes of 30), ordered and approved."""
    from django.utils import timezone

    from trygg.core.models import Municipality

    today = timezone.localdate()
    classes = "\n".join(f"Lastskolen (fiktiv); 9{n}; 9; 30" for n in range(1, pupils // 30 + 2))
    oslo = Municipality.objects.get(number="0301")
    survey = youth.order_survey(admin, oslo, today, today + dt.timedelta(days=7), classes, ["skole", "vold"])
    return youth.approve_survey(admin, survey)


if __name__ == "__main__":
    print(json.dumps(main(*(int(arg) for arg in sys.argv[1:3]))))
