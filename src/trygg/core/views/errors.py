"""Friendly error pages in the user's language, with the site's layout where the request allows it.

Under /api/ the same errors are JSON, as the API's own are: an integration never has to parse an HTML page.
"""

from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def _api(request) -> bool:
    return request.path.startswith("/api/")


def bad_request(request, exception):
    if _api(request):
        return JsonResponse({"detail": _("The request could not be understood.")}, status=400)
    return render(request, "core/errors/400.html", status=400)


def permission_denied(request, exception):
    if _api(request):
        return JsonResponse({"detail": _("You do not have access to this.")}, status=403)
    return render(request, "core/errors/403.html", status=403)


def page_not_found(request, exception):
    if _api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "core/errors/404.html", status=404)


def server_error(request):
    """Rendered without the request's context processors: they may be what failed."""
    if _api(request):
        return JsonResponse({"detail": _("Something went wrong on our side.")}, status=500)
    return HttpResponseServerError(loader.get_template("core/errors/500.html").render())


def api_method_not_allowed(allow: str) -> JsonResponse:
    response = JsonResponse({"detail": _("This method is not allowed here.")}, status=405)
    response["Allow"] = allow
    return response


def csrf_failure(request, reason=""):
    if _api(request):
        return JsonResponse({"detail": _("The security check failed (CSRF). Reload and try again.")}, status=403)
    return render(request, "core/errors/csrf.html", status=403)
