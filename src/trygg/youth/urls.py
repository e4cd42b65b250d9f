"""Every youth view module owns its ``urlpatterns``; this file only joins them."""

from .views import overview, pupil, reports, research, surveys

app_name = "youth"

urlpatterns = [
    *pupil.urlpatterns,
    *surveys.urlpatterns,
    *reports.urlpatterns,
    *overview.urlpatterns,
    *research.urlpatterns,
]
