"""Every youth view module owns its ``urlpatterns``; this file only joins them."""

from .views import overview, own, pupil, reports, research, surveys

app_name = "youth"

urlpatterns = [
    *pupil.urlpatterns,
    *surveys.urlpatterns,
    *own.urlpatterns,
    *reports.urlpatterns,
    *overview.urlpatterns,
    *research.urlpatterns,
]
