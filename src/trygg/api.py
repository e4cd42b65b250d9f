"""Trygg's REST API (django-ninja) with OpenAPI docs at /api/docs.

Integrations authenticate with ``Authorization: Bearer <token>`` (tokens are created under the account page);
the browser's session works too, for KS staff only once two-factor login is done.
"""

from ninja import NinjaAPI

from trygg.core.api import router as core_router
from trygg.core.api_auth import AUTH
from trygg.events.api import router as events_router
from trygg.mapping.api import router as mapping_router
from trygg.measures.api import router as measures_router

api = NinjaAPI(
    title="Trygg API",
    version="1",
    description="Kommunenes plattform for trygghet og kriminalitetsforebygging / "
    "The municipalities' platform for safety and crime prevention.",
    auth=AUTH,
    urls_namespace="api",
)
api.add_router("/", core_router)
api.add_router("/events", events_router)
api.add_router("/mapping", mapping_router)
api.add_router("/measures", measures_router)
