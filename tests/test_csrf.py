"""Every state-changing request needs the CSRF token: no view is exempt, whoever is logged in.

Walks every URL of the role × URL matrix with the method it changes state with (POST, or DELETE for the API) and
without a token, as an anonymous visitor and as a KS administrator past two-factor login (who may do the most).
"""

import pytest
from django.urls import reverse

from tests.test_url_matrix import EXPECTATIONS, objects  # noqa: F401 - the matrix's objects fixture

pytestmark = pytest.mark.django_db

REFUSED = {401, 403, 405}


def test_no_state_change_without_the_csrf_token(users, clients, objects):  # noqa: F811
    accepted = []
    for name, (method, kwargs_for, _expected, *request_for) in sorted(EXPECTATIONS.items()):
        unsafe = "delete" if method == "delete" else "post"
        for role in ("anonymous", "ks_admin"):
            client = clients[role]
            client.handler.enforce_csrf_checks = True
            url = reverse(name, kwargs=kwargs_for(users[role], objects) if kwargs_for else {})
            response = getattr(client, unsafe)(url, **(request_for[0](objects) if request_for else {}))
            if response.status_code not in REFUSED:
                accepted.append(f"{role} {unsafe.upper()} {url} → {response.status_code}")
    assert accepted == []
