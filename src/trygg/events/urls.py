"""Every events view module owns its ``urlpatterns``; this file only joins them."""

from .views import budget, delegations, events, exports, groups, invitation_link, invitations, poll, programme

app_name = "events"

urlpatterns = [
    *events.urlpatterns,
    *programme.urlpatterns,
    *invitations.urlpatterns,
    *delegations.urlpatterns,
    *invitation_link.urlpatterns,
    *budget.urlpatterns,
    *groups.urlpatterns,
    *exports.urlpatterns,
    *poll.urlpatterns,
]
