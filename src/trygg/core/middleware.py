from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.db import OperationalError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control

from .observability import unlogged
from .throttling import client_address
from .views.errors import bad_request, busy


class AuditContextMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, also recording which view or API operation caused each entry.

    The youth survey's anonymous pupil pages (``UNLOGGED_PATH_PREFIXES``) get no context: nothing they cause may
    carry a pupil's address, and they are spared its work on every submission.
    """

    def __call__(self, request):
        if unlogged(request.path):
            return self.get_response(request)
        return super().__call__(request)

    @staticmethod
    def _get_remote_addr(request):
        """The same address as login throttling reads: auditlog's own trusts whatever X-Forwarded-For says."""
        return client_address(request)

    def get_extra_data(self, request):
        data = super().get_extra_data(request)

        def source() -> str:
            match = getattr(request, "resolver_match", None)
            name = match.view_name if match else ""
            return f"{request.method} {request.path}" + (f" ({name})" if name else "")

        data["source"] = source
        return data


class StaffTwoFactorMiddleware:
    """KS staff must confirm a one-time code (TOTP) before they reach anything but the two-factor pages."""

    ALLOWED_PREFIXES = ("/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_ks_staff and not user.is_verified():
            allowed = {reverse("core:two_factor"), reverse("core:two_factor_setup"), reverse("core:logout")}
            if request.path not in allowed and not request.path.startswith(self.ALLOWED_PREFIXES):
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('core:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class LanguageMiddleware(LocaleMiddleware):
    """Bokmål unless the user has chosen another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; many Norwegian users have English
    browsers but expect a Norwegian public service in Norwegian.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RejectNullCharactersMiddleware:
    """Answer 400 to parameters containing NUL characters, which PostgreSQL cannot store or compare.

    One door for every form, filter and API parameter, instead of a validator on each field. The API reads its
    own bodies, so for it a multipart body is left unread and a JSON body is checked for an escaped NUL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = [*request.GET.lists()]
        api = request.path.startswith("/api/")
        if request.content_type == "application/x-www-form-urlencoded" or (
            request.content_type == "multipart/form-data" and not api
        ):
            values += [*request.POST.lists()]
        if any("\x00" in key or any("\x00" in value for value in items) for key, items in values):
            return bad_request(request, None)
        if api and request.content_type == "application/json" and b"\\u0000" in request.body:
            return bad_request(request, None)
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """Nothing shown to a logged-in user or an API client is kept by a browser, a proxy or the back button.

    Such pages hold situation reports, registrations, plans, the audit trail and exports; a shared computer in a
    town hall must not show them to the next person. Public pages stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True, private=True)
        return response


class BusyDatabaseMiddleware:
    """A write that waited too long for SQLite's single writer is answered "busy, try again", never a 500.

    Nothing of the request was committed (its transaction failed), so trying again is safe.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OperationalError) and "database is locked" in str(exception)):
            return None
        response = busy(request)
        response["Retry-After"] = "5"
        return response
