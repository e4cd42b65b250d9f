"""Every events view module owns its ``urlpatterns``; this file only joins them."""

from .views import budget, delegations, events, exports, groups, poll, programme

app_name = "events"

urlpatterns = [
    *events.urlpatterns,
    *programme.urlpatterns,
    *delegations.urlpatterns,
    *budget.urlpatterns,
    *groups.urlpatterns,
    *exports.urlpatterns,
    *poll.urlpatterns,
]
