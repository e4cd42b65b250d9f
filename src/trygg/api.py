"""Trygg's REST API (django-ninja) with OpenAPI docs at /api/docs.

Integrations authenticate with ``Authorization: Bearer <token>`` (tokens are created under the account page);
the browser's session works too, for KS staff only once two-factor login is done.
"""

from ninja import NinjaAPI
from ninja.security import APIKeyCookie, HttpBearer

from trygg.core.api import router as core_router
from trygg.core.audit import bind_actor
from trygg.core.services import authenticate_token


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


api = NinjaAPI(
    title="Trygg API",
    version="1",
    description="Kommunenes plattform for trygghet og kriminalitetsforebygging / "
    "The municipalities' platform for safety and crime prevention.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)
api.add_router("/", core_router)
