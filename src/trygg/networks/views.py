"""Network pages: the list, one network (its contact people only for KS and members; its coming meetings and the
documents each user may open), and KS's forms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core.audit import record_read
from trygg.core.permissions import permission_required

from . import lectures, services
from .forms import (
    ContactForm,
    LectureForm,
    LecturePlanForm,
    LinkDocumentForm,
    LinkMeetingForm,
    MeetingForm,
    MemberForm,
    MessageForm,
    NetworkForm,
)
from .models import Lecture, Network


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


# Lectures ------------------------------------------------------------------------------------------------------


def get_lecture(request, pk, **kwargs):
    return get_object_or_404(Lecture.objects.select_related("municipality"), pk=pk)


@permission_required("networks.view_lectures")
def lecture_list(request):
    return render(
        request,
        "networks/lectures.html",
        {
            "lectures": lectures.visible_lectures(request.user),
            "may_request": request.user.has_perm("networks.request_lecture"),
        },
    )


@permission_required("networks.request_lecture")
def lecture_request(request):
    municipalities = request.user.municipalities.order_by("name")
    form = LectureForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            lecture, created = lectures.request(request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("Your request has been sent to KS."))
            else:
                messages.info(request, _("This request had already been sent; here it is."))
            return redirect(lecture)
    if not municipalities.exists():
        messages.info(request, _("Your account does not act for any municipality yet. Ask KS to add you."))
    return render(request, "networks/lecture_form.html", {"form": form})


def _lecture(request, lecture, plan_form=None):
    if request.user.has_perm("networks.plan_lectures") and plan_form is None and lecture.event_id is None:
        plan_form = LecturePlanForm(
            initial={
                "status": lecture.status,
                "date": lecture.date,
                "speaker": lecture.speaker_id,
                "answer": lecture.answer,
            }
        )
    return render(request, "networks/lecture.html", {"lecture": lecture, "plan_form": plan_form})


@permission_required("networks.view_lecture", fn=get_lecture)
def lecture_detail(request, pk):
    return _lecture(request, get_lecture(request, pk))


@require_POST
@permission_required("networks.plan_lectures")
def lecture_plan(request, pk):
    lecture = get_lecture(request, pk)
    form = LecturePlanForm(request.POST)
    if form.is_valid():
        try:
            lectures.plan(request.user, lecture, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The lecture plan was saved."))
            return redirect(lecture)
    return _lecture(request, lecture, plan_form=form)


@require_POST
@permission_required("networks.plan_lectures")
def lecture_event(request, pk):
    lecture = get_lecture(request, pk)
    try:
        event = lectures.make_event(request.user, lecture)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(lecture)
    messages.success(request, _("The lecture is now an event. Add the programme and invitations there."))
    return redirect(event)
