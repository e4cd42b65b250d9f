"""Login, two-factor verification for KS staff (an authenticator app, backup codes for a lost phone), and API tokens."""

from base64 import b32encode

import segno
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..forms import APITokenForm, SecondFactorForm, TokenForm
from ..models import APIToken
from ..navigation import nav_items, section_of
from ..permissions import permission_required


class LoginView(auth_views.LoginView):
    """Django's login; a visitor sent here from a page is told which part of Trygg it belongs to."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = self.get_redirect_url()
        if target:
            section = section_of(target.split("?")[0], nav_items(apps.get_app_configs()))
            context["login_reason"] = section.label if section and section.url != "/" else _("this page")
        return context


def locked_out(request, credentials, *args, **kwargs):
    """django-axes calls this when a user name and address have failed too often."""
    return render(request, "core/locked_out.html", status=429)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


def _verify(devices, token: str):
    """The device that accepts ``token``, or the reason none did.

    django-otp backs off after each wrong code; a user inside that pause is told to wait rather than that the
    (possibly right) code was wrong.
    """
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            seconds = max(1, int((details["locked_until"] - timezone.now()).total_seconds()) + 1)
            return None, ngettext(
                "Too many wrong codes. Wait %(seconds)d second and try again.",
                "Too many wrong codes. Wait %(seconds)d seconds and try again.",
                seconds,
            ) % {"seconds": seconds}
    device = next((d for d in devices if d.verify_token(token)), None)
    if device is None:
        return None, _("The code is wrong or has expired. Try the code your app shows now.")
    return device, ""


def _confirm(request, device) -> None:
    """Mark the session as past the second factor under a new session key, as Django does at the first step."""
    otp_login(request, device)
    request.session.cycle_key()


@login_required
def two_factor(request):
    """Ask for the current TOTP code; staff without an authenticator are sent to set one up first."""
    devices = list(devices_for_user(request.user, confirmed=True))
    next_url = _safe_next(request)
    if request.user.is_verified():
        return redirect(next_url or "core:dashboard")
    if not devices:
        return redirect("core:two_factor_setup")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        backup = len(token) != 6  # a six-digit code is the app's; a backup code would only count as its failure
        device, error = _verify([d for d in devices if isinstance(d, StaticDevice) == backup], token)
        if device:
            _confirm(request, device)
            if backup:
                _warn_backup_code_used(request, device.token_set.count())
            return redirect(next_url or "core:dashboard")
        form.add_error("token", error)
    return render(request, "core/two_factor.html", {"form": form, "next": next_url})


def _warn_backup_code_used(request, left: int) -> None:
    messages.warning(
        request,
        ngettext(
            "You logged in with a backup code; it cannot be used again. %(left)d backup code is left.",
            "You logged in with a backup code; it cannot be used again. %(left)d backup codes are left.",
            left,
        )
        % {"left": left},
    )


@login_required
def two_factor_setup(request):
    """Pair an authenticator app: show a QR code and the secret, then confirm with a first code."""
    if any(devices_for_user(request.user, confirmed=True)):
        return redirect("core:two_factor")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed, error = _verify([device], form.cleaned_data["token"])
        if confirmed:
            device.confirmed = True
            device.save()
            _confirm(request, device)
            messages.success(
                request, _("Two-factor login is set up. Make backup codes now, for the day your phone is lost.")
            )
            return redirect("core:two_factor_backup_codes")
        form.add_error("token", error)
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1e2b3c", light="#ffffff")
    secret = b32encode(device.bin_key).decode()
    return render(request, "core/two_factor_setup.html", {"form": form, "qr_svg": qr_svg, "secret": secret})


BACKUP_CODES = 10
BACKUP_DEVICE = "Backup codes"  # the static device that holds them, one per user


@login_required
def two_factor_backup_codes(request):
    """Backup codes for a lost phone: each works once; making new ones voids the old.

    Shown only once, in the answer to the request that made them (pages for logged-in users are not stored).
    Only a user past the second factor may make them, so a stolen password alone cannot.
    """
    if not request.user.is_verified():
        return redirect(f"{reverse('core:two_factor')}?next={request.path}")
    device = StaticDevice.objects.filter(user=request.user, name=BACKUP_DEVICE).first()
    codes = []
    if request.method == "POST":
        device = device or StaticDevice.objects.create(user=request.user, name=BACKUP_DEVICE, confirmed=True)
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _n in range(BACKUP_CODES)]
        device.token_set.bulk_create([StaticToken(device=device, token=code) for code in codes])
    left = device.token_set.count() if device else 0
    shown = [f"{code[:4]} {code[4:]}" for code in codes]
    return render(request, "core/two_factor_backup_codes.html", {"codes": shown, "left": left})


@permission_required("core.manage_api_tokens")
def api_tokens(request):
    form = APITokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = APIToken.issue(request.user, form.cleaned_data["name"])
        form = APITokenForm()
    return render(
        request,
        "core/api_tokens.html",
        {"form": form, "tokens": request.user.api_tokens.all(), "new_token": new_token},
    )


@require_POST
@permission_required("core.manage_api_tokens")
def api_token_delete(request, pk):
    token = get_object_or_404(APIToken, pk=pk, user=request.user)
    token.delete()
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("core:api_tokens")
