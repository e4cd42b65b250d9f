from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite


class TryggAdminSite(OTPAdminSite):
    """Django's admin for KS administrators, only after two-factor login."""

    site_header = "Trygg"
    site_title = "Trygg"
    index_title = _("Administration")

    def __init__(self, name="admin"):
        super().__init__(name)
