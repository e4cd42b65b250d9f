"""Network pages: the list, one network (its contact people only for KS and members; its coming meetings and the
documents each user may open), and KS's forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.audit import record_read
from trygg.core.permissions import permission_required

from . import services
from .forms import ContactForm, LinkDocumentForm, LinkMeetingForm, MeetingForm, MemberForm, MessageForm, NetworkForm
from .models import Network


def get_network(request, pk, **kwargs):
    return get_object_or_404(Network, pk=pk)


@permission_required("networks.view_networks")
def index(request):
    networks = Network.objects.prefetch_related("members__municipality", "members__organisation")
    return render(request, "networks/index.html", {"networks": networks})


@permission_required("networks.manage")
def create(request):
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        network = services.create_network(request.user, **form.cleaned_data)
        messages.success(request, _("The network was created."))
        return redirect(network)
    return render(request, "networks/form.html", {"form": form})


def _detail(request, network, **forms):
    user = request.user
    contacts = services.contacts(network, user)
    if contacts:
        record_read(network)  # the contact people are personal data
    manage = user.has_perm("networks.manage", network)
    context = {
        "network": network,
        "members": network.members.select_related("municipality", "organisation"),
        "contacts": contacts,
        "manage": manage,
        "sent": network.messages.all()[:10] if manage else None,
        "meetings": services.coming_meetings(network, user),
        "documents": services.shared_documents(network, user),
    }
    if manage:
        context["meeting_form"] = forms.get("meeting_form") or MeetingForm()
        context["link_meeting_form"] = forms.get("link_meeting_form") or LinkMeetingForm()
        context["document_form"] = forms.get("document_form") or LinkDocumentForm()
        context["member_form"] = forms.get("member_form") or MemberForm()
        context["contact_form"] = forms.get("contact_form") or ContactForm(network=network)
        context["message_form"] = forms.get("message_form") or MessageForm()
    return render(request, "networks/detail.html", context)


@permission_required("networks.view_networks")
def detail(request, pk):
    return _detail(request, get_network(request, pk))


def _post(request, pk, form, name, action, success):
    network = get_network(request, pk)
    if form.is_valid():
        try:
            action(network, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success)
            return redirect(network)
    return _detail(request, network, **{name: form})


@require_POST
@permission_required("networks.manage", fn=get_network)
def add_member(request, pk):
    def action(network, data):
        services.add_member(request.user, network, **data)

    return _post(request, pk, MemberForm(request.POST), "member_form", action, _("The member was added."))


@require_POST
@permission_required("networks.manage", fn=get_network)
def add_contact(request, pk):
    def action(network, data):
        services.add_contact(request.user, data["member"], data["person"], data["role"])

    form = ContactForm(request.POST, network=get_network(request, pk))
    return _post(request, pk, form, "contact_form", action, _("The contact person was added."))


@require_POST
@permission_required("networks.manage", fn=get_network)
def send_message(request, pk):
    def action(network, data):
        services.send_message(request.user, network, data["subject"], data["body"])

    return _post(request, pk, MessageForm(request.POST), "message_form", action, _("The message is on its way."))


@require_POST
@permission_required("networks.manage", fn=get_network)
def create_meeting(request, pk):
    def action(network, data):
        services.create_meeting(request.user, network, **data)

    return _post(request, pk, MeetingForm(request.POST), "meeting_form", action, _("The meeting was created."))


@require_POST
@permission_required("networks.manage", fn=get_network)
def link_meeting(request, pk):
    def action(network, data):
        services.link_meeting(request.user, network, data["event"])

    form = LinkMeetingForm(request.POST)
    return _post(request, pk, form, "link_meeting_form", action, _("The event is now one of the network's meetings."))


@require_POST
@permission_required("networks.manage", fn=get_network)
def link_document(request, pk):
    def action(network, data):
        services.link_document(request.user, network, data["document"])

    form = LinkDocumentForm(request.POST)
    return _post(request, pk, form, "document_form", action, _("The document is shared with the network."))
