"""Trygg's REST API (django-ninja) with OpenAPI docs at /api/docs.

Integrations authenticate with ``Authorization: Bearer <token>`` (tokens are created under the account page);
the browser's session works too, for KS staff only once two-factor login is done. Every answer is JSON, errors
too: a 422 names the field and the rule, and what the models refuse in a form they refuse here.
"""

import functools
import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.parser import Parser

from trygg.cases.api import router as cases_router
from trygg.core.api import router as core_router
from trygg.core.api_auth import AUTH
from trygg.core.validation import nfc
from trygg.core.views.errors import SERVER_FAILURE, api_method_not_allowed
from trygg.events.api import router as events_router
from trygg.library.api import router as library_router
from trygg.mapping.api import router as mapping_router
from trygg.measures.api import router as measures_router
from trygg.networks.api import router as networks_router
from trygg.youth.api import router as youth_router

logger = logging.getLogger(__name__)


class NFCParser(Parser):
    """Text arrives in Unicode NFC, as the models store it, so filters and searches compare like with like."""

    def parse_body(self, request):
        return nfc(super().parse_body(request))

    def parse_querydict(self, data, list_fields, request):
        return nfc(super().parse_querydict(data, list_fields, request))


def _json_405(view):
    """Ninja answers a method it does not route with a plain-text 405; say it in JSON, keeping ``Allow``."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        return api_method_not_allowed(response["Allow"]) if response.status_code == 405 else response

    return wrapper


class TryggAPI(NinjaAPI):
    def _get_urls(self):
        urls = super()._get_urls()
        for url in urls:
            if isinstance(url, URLPattern):
                url.callback = _json_405(url.callback)
        return urls


api = TryggAPI(
    title="Trygg API",
    version="1",
    description="Kommunenes plattform for trygghet og kriminalitetsforebygging / "
    "The municipalities' platform for safety and crime prevention.",
    auth=AUTH,
    urls_namespace="api",
    parser=NFCParser(),
)
api.add_router("/", core_router)
api.add_router("/events", events_router)
api.add_router("/mapping", mapping_router)
api.add_router("/measures", measures_router)
api.add_router("/cases", cases_router)
api.add_router("/library", library_router)
api.add_router("/youth", youth_router)
api.add_router("/networks", networks_router)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(DjangoValidationError)
def refused_by_the_models(request, exc):
    """The models' and services' validation (the forms' too) as a 422 in the shape of ninja's own."""
    issues = [
        {"type": "value_error", "loc": ["body", field], "msg": message}
        for field, messages in (exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}).items()
        for message in messages
    ]
    return api.create_response(request, {"detail": issues}, status=422)


@api.exception_handler(Exception)
def server_error(request, exc):
    """Never an HTML page: log the error and say in JSON that it was ours."""
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(request, {"detail": str(SERVER_FAILURE)}, status=500)
