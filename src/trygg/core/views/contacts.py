"""The contacts of a municipality: KS adds contact persons, invites them to Trygg, and removes a login's access."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import ContactForm
from ..models import Municipality, Person, Role, User
from ..permissions import permission_required
from ..services import add_contact, invite_to_trygg


def _municipality(request, number, **kwargs):
    return get_object_or_404(Municipality, number=number)


@require_POST
@permission_required("core.add_person", fn=_municipality)
def contact_add(request, number):
    municipality = _municipality(request, number)
    form = ContactForm(request.POST)
    if form.is_valid():
        person = add_contact(request.user, municipality=municipality, **form.cleaned_data)
        messages.success(request, _("%(name)s was added as a contact.") % {"name": person.name})
    else:
        messages.error(request, _("Give the contact's name and a valid e-mail address."))
    return redirect(municipality)


@require_POST
@permission_required("core.invite_person", fn=lambda request, pk: get_object_or_404(Person, pk=pk))
def person_invite(request, pk):
    """Give the person a login for their municipality and e-mail a link to choose a password."""
    person = get_object_or_404(Person.objects.select_related("municipality"), pk=pk)
    if not person.email:
        messages.error(request, _("%(name)s has no e-mail address to send the invitation to.") % {"name": person})
    else:
        user = invite_to_trygg(request.user, person, request.build_absolute_uri("/"))
        if user.has_usable_password():
            messages.info(request, _("%(name)s already has a login.") % {"name": person})
        else:
            messages.success(request, _("%(name)s was sent a link to choose a password.") % {"name": person})
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/") else person)


@require_POST
@permission_required("core.add_person", fn=_municipality)
def contact_login_remove(request, number, user_pk):
    """The login no longer acts for the municipality (it keeps any other municipality)."""
    municipality = _municipality(request, number)
    user = get_object_or_404(User, pk=user_pk, municipalities=municipality, role=Role.MUNICIPAL_CONTACT)
    user.municipalities.remove(municipality)
    messages.success(
        request,
        _("%(name)s no longer acts for %(municipality)s.")
        % {"name": user.get_full_name() or user.username, "municipality": municipality},
    )
    return redirect(municipality)


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link from an invitation to Trygg: choose a password, then log in with the e-mail address."""

    template_name = "core/set_password.html"
    success_url = reverse_lazy("core:login")

    def form_valid(self, form):
        messages.success(
            self.request,
            _("Your password is set. Log in with your e-mail address %(email)s.") % {"email": self.user.email},
        )
        return super().form_valid(form)
