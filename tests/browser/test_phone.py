"""Every page each role reaches fits a phone (390 px) without sideways scrolling; axe-core at 390 and 1280 px.

The pages are the role × URL matrix's (tests/test_url_matrix.py): each view name a role may open with GET, on the
matrix's objects, and the demo study trip and round where those make a page long and wide. One browser, one
logged-in context per role (the session cookie of a logged-in test client), and each view checked by axe-core once,
by one of the roles that reach it, so the test stays bounded in time.
"""

import zlib

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_accessible, use_session_of
from tests.conftest import ROLES
from tests.test_url_matrix import EXPECTATIONS, OK
from tests.test_url_matrix import objects as matrix_objects  # noqa: F401 (the matrix's objects, as a fixture)
from trygg.mapping import demo as mapping_demo
from trygg.mapping.models import Round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Downloads, the API and Django's own admin are not pages of Trygg's layout.
NOT_PAGES = ("api:", "admin:")
DOWNLOADS = ("_pdf", "_ics", "_export")
# Answers for machines, not pages: the probes' JSON, a job's htmx fragment and file, reference files.
NOT_FOR_PEOPLE = {"core:healthz", "core:readyz", "core:job_status", "core:job_file", "measures:edition_references"}
NOT_FOR_PEOPLE |= {"library:suggest", "library:file", "library:citation"}  # a fragment for htmx, and downloads
NOT_FOR_PEOPLE |= {"youth:worker"}  # the pupil pages' service worker: a script for the browser
# Views shown again on the demo study trip and round: a long programme, 17 delegations, a full national picture.
ON_DEMO = {
    "events:detail": lambda d: {"pk": d["trip"].pk},
    "events:delegation": lambda d: {"pk": d["trip"].pk, "number": "4601"},
    "events:participants": lambda d: {"pk": d["trip"].pk},
    "events:programme": lambda d: {"pk": d["trip"].pk},
    "events:invitations": lambda d: {"pk": d["trip"].pk},
    "events:groups": lambda d: {"pk": d["trip"].pk},
    "events:budget": lambda d: {"pk": d["trip"].pk},
    "mapping:round": lambda d: {"pk": d["round"].pk},
    "mapping:picture": lambda d: {"round_pk": d["round"].pk},
    "mapping:brief": lambda d: {"round_pk": d["round"].pk},
}


def page_names(role):
    return sorted(
        name
        for name, (method, _kwargs, expected, *_request) in EXPECTATIONS.items()
        if method == "get"
        and expected[role] == OK
        and not name.startswith(NOT_PAGES)
        and not name.endswith(DOWNLOADS)
        and name not in NOT_FOR_PEOPLE
    )


def axe_role(name):
    """The one role whose visit runs axe-core on a view: spread over the roles that may open it, so that the
    parametrised tests share the work."""
    roles = [role for role in ROLES if name in page_names(role)]
    return roles[zlib.crc32(name.encode()) % len(roles)]


def urls_for(role, user, objects, demo):
    """(url, run axe-core) for each page of the role; axe-core once per view, on the demo's page where there is one."""
    for name in page_names(role):
        kwargs_for = EXPECTATIONS[name][1]
        axe = axe_role(name) == role
        yield reverse(name, kwargs=kwargs_for(user, objects) if kwargs_for else {}), axe and name not in ON_DEMO
        if name in ON_DEMO:
            yield reverse(name, kwargs=ON_DEMO[name](demo)), axe


def document_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def too_wide(page):
    """The elements that stick out to the right of the window, for the failure message."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'))
            .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className}`)"""
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_page_fits_a_phone_and_passes_axe(role, page, live_server, users, matrix_objects, trip):  # noqa: F811
    demo = {"trip": trip, "round": Round.objects.get(is_demo=True, name=mapping_demo.ROUND_NAME)}
    user = users[role]
    if user is not None:
        use_session_of(page, live_server, user)
    checked = 0
    for url, axe in urls_for(role, user, matrix_objects, demo):
        page.set_viewport_size(PHONE)
        response = page.goto(url)
        assert response.status == 200, f"{role} {url}: {response.status}"
        assert document_width(page) <= PHONE["width"], f"{role} {url} scrolls sideways: {too_wide(page)}"
        if axe:
            assert_accessible(page)
            page.set_viewport_size(DESKTOP)
            assert_accessible(page)
        checked += 1
    assert checked >= 3
