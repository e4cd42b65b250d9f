"""Object-level access: a municipal contact gets nothing of another municipality's objects.

The role × URL matrix proves what each role may do with Bergen's objects, as Bergen's contact. Here a contact for
Oslo walks the same URLs — every page, export, search and API endpoint, with Bergen's ids — and must get exactly
what a contact for no municipality at all gets: being a contact somewhere opens nothing elsewhere. Bergen's
confidential texts (also the youth surveys' schools and a KS-only library document) carry a marker that must never
appear in anything Oslo's contact is shown, not even when a search asks for it — except through Bergen's personal
invitation link, which is itself the key to Bergen's delegation (whoever holds it may register and see Bergen's
delegates) and which Oslo's contact is never sent.
"""

import pytest
from django.urls import reverse

from tests import test_url_matrix
from tests.conftest import logged_in_client, make_user
from tests.test_url_matrix import EXPECTATIONS, objects  # noqa: F401 - the matrix's objects fixture
from trygg.core.models import Municipality, Role
from trygg.library import index as library_index
from trygg.library import services as library
from trygg.youth.models import School

pytestmark = pytest.mark.django_db

SECRET = "Bergen-fortrolig-7Q"


@pytest.fixture
def bergen_secrets(objects):  # noqa: F811
    """Bergen's confidential texts, marked: the draft report, the plan, a delegate's name, a request for help and
    a network's contact person."""
    report, plan, registration = objects["report"], objects["plan"], objects["registration"]
    report.situation = f"Situasjonen: {SECRET}"
    report.save()
    plan.title = f"Plan {SECRET}"
    plan.save()
    registration.name = f"Delegat {SECRET}"
    registration.save()
    case = objects["case"]
    case.description = f"Hva skjedde: {SECRET}"
    case.save()
    contact = objects["network_member"].contacts.get()
    contact.person.name = f"SLT {SECRET}"
    contact.person.save()
    return objects


@pytest.fixture
def youth_and_library_secrets(bergen_secrets, users, monkeypatch):
    """Bergen's youth surveys name their schools and own question with the marker, and the walk's document is
    KS-only, titled with it."""
    make_survey = test_url_matrix.youth_survey

    def marked_survey(status):
        survey = make_survey(status)
        School.objects.filter(survey=survey).update(name=f"Nordnes skole {SECRET}")
        return survey

    monkeypatch.setattr(test_url_matrix, "youth_survey", marked_survey)
    monkeypatch.setattr(test_url_matrix, "OWN_QUESTION", f"Bruker du biblioteket? {SECRET}")
    bergen_secrets["document"] = library.add_trusted(
        users["ks_adviser"],
        {"title": f"Internt notat {SECRET}", "kind": "report", "access": "ks"},
        "notat.txt",
        f"Bare for KS: {SECRET}".encode(),
    )
    library_index.rebuild()
    return bergen_secrets


def test_a_contact_elsewhere_gets_no_more_of_bergens_objects_than_a_contact_nowhere(users, youth_and_library_secrets):
    bergen_secrets = youth_and_library_secrets
    elsewhere = make_user(Role.MUNICIPAL_CONTACT, username="oslo_kontakt")
    elsewhere.municipalities.set(Municipality.objects.filter(name="Oslo"))
    nowhere = make_user(Role.MUNICIPAL_CONTACT, username="ingen_kontakt")
    matrix_contact = users["municipal_contact"]
    browsers = [(nowhere, logged_in_client(nowhere)), (elsewhere, logged_in_client(elsewhere))]
    differences, leaks = [], []
    for name, (method, kwargs_for, _expected, *request_for) in sorted(EXPECTATIONS.items()):
        url_kwargs = kwargs_for(matrix_contact, bergen_secrets) if kwargs_for else {}
        url = reverse(name, kwargs=url_kwargs)
        requests = [request_for[0](bergen_secrets) if request_for else {}]
        if method == "get" and not kwargs_for:
            requests.append({"data": {"q": SECRET[:-3]}})  # lists and searches asked for it (an echo shows no "-7Q")
        for request in requests:
            outcomes = []
            for user, client in browsers:
                response = getattr(client, method)(url, **request)
                outcomes.append(response.status_code)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                if user is elsewhere and SECRET.encode() in body and "token" not in url_kwargs:
                    leaks.append(f"{method.upper()} {url} {request}")
            if outcomes[0] != outcomes[1]:
                differences.append(f"{method.upper()} {url}: no municipality → {outcomes[0]}, Oslo → {outcomes[1]}")
    assert (differences, leaks) == ([], [])
    staff = logged_in_client(users["ks_admin"])
    survey = reverse("youth:survey", kwargs=EXPECTATIONS["youth:survey"][1](None, bergen_secrets))
    marked = [survey, f"{reverse('library:list')}?q=notat", reverse("api:search_documents") + "?q=notat"]
    assert [url for url in marked if SECRET not in staff.get(url).text] == [], "KS staff see the marked objects"
