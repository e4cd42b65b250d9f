"""Every measures view module owns its ``urlpatterns``; this file only joins them.

The fixed paths (guide, advice, plans, matrix…) come before the catalogue's ``<slug:key>/`` pages; the keys those
paths use are reserved (``catalogue.RESERVED_KEYS``) so no measure can hide behind them.
"""

from .views import advice, catalogue, corrections, editor, feedback, guide

app_name = "measures"

urlpatterns = [
    *guide.urlpatterns,
    *advice.urlpatterns,
    *feedback.urlpatterns,
    *corrections.urlpatterns,
    *editor.urlpatterns,
    *catalogue.urlpatterns,
]
