"""How API callers are known: a bearer token, or the browser session (KS staff only after two-factor login)."""

from django.contrib.auth.models import AnonymousUser
from ninja.security import APIKeyCookie, HttpBearer

from .audit import bind_actor
from .services import authenticate_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = authenticate_token(token)
        if user:
            request.user = user
            bind_actor(user)
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; KS staff must have passed two-factor login."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = request.user
        if user.is_authenticated and (not user.is_ks_staff or user.is_verified()):
            return user
        return None


AUTH = [TokenAuth(), SessionAuth()]


def caller(request):
    """Who calls a public endpoint (``auth=None``): the token's or verified session's user, else anonymous.

    ``request.user`` alone would miss token callers and would count a KS session that has not passed two-factor.
    """
    for authenticate in AUTH:
        if user := authenticate(request):
            return user
    return AnonymousUser()
