"""Every mapping view module owns its ``urlpatterns``; this file only joins them."""

from .views import definitions, exports, picture, reports, rounds

app_name = "mapping"

urlpatterns = [
    *rounds.urlpatterns,
    *reports.urlpatterns,
    *picture.urlpatterns,
    *exports.urlpatterns,
    *definitions.urlpatterns,
]
