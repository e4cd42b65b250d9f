"""Role × URL matrix: every URL pattern of the project, for every role.

The expectations below must name every pattern: a new view without a row here fails
``test_every_url_has_a_rule``, so nobody can add a page without deciding who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES
from trygg.core.models import APIToken, Organisation, Person

OK, LOGIN, FORBIDDEN, NOT_FOUND, REDIRECT, UNAUTHORISED, NOT_ALLOWED = 200, "login", 403, 404, 302, 401, 405


def everyone(expected):
    return dict.fromkeys(ROLES, expected)


def staff_only(denied=FORBIDDEN):
    return {
        "anonymous": LOGIN,
        "ks_admin": OK,
        "ks_adviser": OK,
        "municipal_contact": denied,
        "partner": denied,
    }


def logged_in(expected=OK):
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], expected)}


def api_public():
    return everyone(OK)


def api_authenticated():
    return {"anonymous": UNAUTHORISED, **dict.fromkeys(ROLES[1:], OK)}


# view name -> (HTTP method, kwargs factory(user, objects) or None, {role: expected})
EXPECTATIONS = {
    "core:home": ("get", None, {"anonymous": OK, **dict.fromkeys(ROLES[1:], REDIRECT)}),
    "core:dashboard": ("get", None, logged_in()),
    "core:municipalities": ("get", None, everyone(OK)),
    "core:municipality": ("get", lambda u, o: {"number": "0301"}, everyone(OK)),
    "core:organisations": ("get", None, logged_in()),
    "core:organisation": ("get", lambda u, o: {"pk": o["organisation"].pk}, logged_in()),
    "core:organisation_create": ("get", None, staff_only()),
    "core:organisation_update": ("get", lambda u, o: {"pk": o["organisation"].pk}, staff_only()),
    "core:people": ("get", None, staff_only()),
    "core:person": ("get", lambda u, o: {"pk": o["person"].pk}, staff_only()),
    "core:person_create": ("get", None, staff_only()),
    "core:person_update": ("get", lambda u, o: {"pk": o["person"].pk}, staff_only()),
    "core:audit": (
        "get",
        None,
        {
            "anonymous": LOGIN,
            "ks_admin": OK,
            "ks_adviser": FORBIDDEN,
            "municipal_contact": FORBIDDEN,
            "partner": FORBIDDEN,
        },
    ),
    "core:login": ("get", None, {"anonymous": OK, **dict.fromkeys(ROLES[1:], REDIRECT)}),
    "core:logout": ("post", None, everyone(REDIRECT)),
    # Staff who passed two-factor login are sent on; others are offered to pair an app.
    "core:two_factor": (
        "get",
        None,
        {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], REDIRECT)},
    ),
    "core:two_factor_setup": (
        "get",
        None,
        {
            "anonymous": LOGIN,
            "ks_admin": REDIRECT,
            "ks_adviser": REDIRECT,
            "municipal_contact": OK,
            "partner": OK,
        },
    ),
    "core:api_tokens": ("get", None, logged_in()),
    "core:api_token_delete": (
        "post",
        lambda u, o: {"pk": o["token"].pk},
        # A token can only be revoked by its owner (the admin here); others get 404, not a hint it exists.
        {
            "anonymous": LOGIN,
            "ks_admin": REDIRECT,
            "ks_adviser": NOT_FOUND,
            "municipal_contact": NOT_FOUND,
            "partner": NOT_FOUND,
        },
    ),
    "set_language": ("post", None, everyone(REDIRECT)),
    "api:api-root": ("get", None, everyone(NOT_FOUND)),
    "api:openapi-json": ("get", None, everyone(OK)),
    "api:openapi-view": ("get", None, everyone(OK)),
    "api:list_counties": ("get", None, api_public()),
    "api:list_municipalities": ("get", None, api_public()),
    "api:get_municipality": ("get", lambda u, o: {"number": "0301"}, api_public()),
    "api:list_organisations": ("get", None, api_authenticated()),
    "api:me": ("get", None, api_authenticated()),
    # Django's admin, for KS administrators only (the whole admin/ namespace is checked through these two).
    "admin:index": ("get", None, {"anonymous": LOGIN, "ks_admin": OK, **dict.fromkeys(ROLES[2:], LOGIN)}),
    "admin:core_organisation_changelist": (
        "get",
        None,
        {"anonymous": LOGIN, "ks_admin": OK, **dict.fromkeys(ROLES[2:], LOGIN)},
    ),
}
COVERED_NAMESPACES = ("admin:",)


def all_url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


def test_every_url_has_a_rule():
    missing = sorted(
        name
        for name in set(all_url_names())
        if name not in EXPECTATIONS and not name.startswith(COVERED_NAMESPACES)
    )
    assert missing == [], f"URL patterns without a row in the role × URL matrix: {missing}"


@pytest.fixture
def objects(users):
    organisation = Organisation.objects.create(name="Testkommunens SLT", kind=Organisation.Kind.MUNICIPALITY)
    person = Person.objects.create(name="Test Testesen", organisation=organisation)
    token, _ = APIToken.issue(users["ks_admin"], "test")
    return {"organisation": organisation, "person": person, "token": token}


def outcome(response):
    location = response.get("Location", "")
    if response.status_code == 302 and ("/konto/logg-inn/" in location or "/admin/login/" in location):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_role_url_matrix(name, users, clients, objects):
    method, kwargs_for, expected = EXPECTATIONS[name]
    assert set(expected) == set(ROLES), f"{name} must state what every role gets"
    for role in ROLES:
        kwargs = kwargs_for(users[role], objects) if kwargs_for else {}
        url = reverse(name, kwargs=kwargs)
        data = {"language": "nb", "next": "/"} if name == "set_language" else {}
        response = getattr(clients[role], method)(url, data)
        assert outcome(response) == expected[role], f"{role} {method.upper()} {url}"
