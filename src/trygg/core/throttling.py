"""Login throttling beyond django-axes' pairs: password spraying from one address, and one name tried from many.

axes locks a user name at one address after a few failures. An attacker can instead try one password on many
names from one address, or one name from many addresses. Both are stopped here with a wider limit — except for
a name at an address it has logged in from before, so a stranger can neither lock out a whole office behind one
address nor keep the real user out of their own account.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def client_address(request) -> str | None:
    """The visitor's address: REMOTE_ADDR, or, behind ``PROXY_COUNT`` trusted proxies, the address the outermost one
    saw. Each proxy appends what it saw to X-Forwarded-For, so only that many entries from the right are trusted;
    whatever a visitor writes there themselves stands further left and is ignored."""
    count = settings.PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class LoginThrottle(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self._spread_attack(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """Record the failure as axes does; the failure that completes a spread attack is answered as a lockout."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and self._spread_attack(request, credentials):
            request.axes_locked_out = True

    def _spread_attack(self, request, credentials) -> bool:
        username = get_client_username(request, credentials)
        address = client_address(request)
        if not username or AccessLog.objects.filter(username=username, ip_address=address).exists():
            return False
        recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - get_cool_off(request))

        def failures(**where) -> int:
            return recent.filter(**where).aggregate(total=Sum("failures_since_start"))["total"] or 0

        return (
            failures(ip_address=address) >= settings.LOGIN_FAILURES_PER_ADDRESS
            or failures(username=username) >= settings.LOGIN_FAILURES_PER_USERNAME
        )
