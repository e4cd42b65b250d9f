"""Friendly error pages in the user's language, with the site's layout where the request allows it.

Under /api/ the same errors are JSON, as the API's own are: an integration never has to parse an HTML page.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The project's API answers its own failures with this (trygg/api.py has no catalogue of its own).
SERVER_FAILURE = gettext_lazy("Something went wrong on our side.")


def _api(request) -> bool:
    return request.path.startswith("/api/")


def _render(request, template: str, status: int):
    """Render an error page, also for a request refused before it reached authentication (a forged Host header)."""
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    return render(request, template, status=status)


def bad_request(request, exception):
    if _api(request):
        return JsonResponse({"detail": _("The request could not be understood.")}, status=400)
    return _render(request, "core/errors/400.html", 400)


def permission_denied(request, exception):
    if _api(request):
        return JsonResponse({"detail": _("You do not have access to this.")}, status=403)
    return _render(request, "core/errors/403.html", 403)


def page_not_found(request, exception):
    if _api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return _render(request, "core/errors/404.html", 404)


def busy(request):
    if _api(request):
        return JsonResponse({"detail": _("Trygg is busy just now. Try again in a few seconds.")}, status=503)
    return _render(request, "core/errors/503.html", 503)


def server_error(request):
    """Rendered without the request's context processors: they may be what failed."""
    return HttpResponseServerError(loader.get_template("core/errors/500.html").render())


def api_method_not_allowed(allow: str) -> JsonResponse:
    response = JsonResponse({"detail": _("This method is not allowed here.")}, status=405)
    response["Allow"] = allow
    return response


def csrf_failure(request, reason=""):
    if _api(request):
        return JsonResponse({"detail": _("The security check failed (CSRF). Reload and try again.")}, status=403)
    return _render(request, "core/errors/csrf.html", 403)
