"""Friendly error pages in the user's language, with the site's layout where the request allows it."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception):
    return render(request, "core/errors/400.html", status=400)


def permission_denied(request, exception):
    return render(request, "core/errors/403.html", status=403)


def page_not_found(request, exception):
    return render(request, "core/errors/404.html", status=404)


def server_error(request):
    """Rendered without the request's context processors: they may be what failed."""
    return HttpResponseServerError(loader.get_template("core/errors/500.html").render())


def csrf_failure(request, reason=""):
    return render(request, "core/errors/csrf.html", status=403)
