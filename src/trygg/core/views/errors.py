"""Friendly error pages in the user's language, with the site's layout where the request allows it."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def _render(request, template: str, status: int):
    """Render an error page, also for a request refused before it reached authentication (a forged Host header)."""
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    return render(request, template, status=status)


def bad_request(request, exception):
    return _render(request, "core/errors/400.html", 400)


def permission_denied(request, exception):
    return _render(request, "core/errors/403.html", 403)


def page_not_found(request, exception):
    return _render(request, "core/errors/404.html", 404)


def busy(request):
    return _render(request, "core/errors/503.html", 503)


def server_error(request):
    """Rendered without the request's context processors: they may be what failed."""
    return HttpResponseServerError(loader.get_template("core/errors/500.html").render())


def csrf_failure(request, reason=""):
    return _render(request, "core/errors/csrf.html", 403)
