"""Every write of networks: create a network, add members and contact people, message all members, and link the
network's meetings (events) and shared documents (library); and what of it a user may read."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trygg.core import mail, screening
from trygg.events import services as events
from trygg.events.models import Event
from trygg.library import services as library

from .models import Contact, ContactRole, Member, Message, Network


def _manage(user, network=None) -> None:
    if not user.has_perm("networks.manage", network):
        raise PermissionDenied


def create_network(user, name: str, description: str = "") -> Network:
    _manage(user)
    screening.refuse_identity_numbers(f"{name} {description}")
    network = Network(name=name, description=description)
    network.full_clean()
    network.save()
    return network


def add_member(user, network: Network, *, municipality=None, organisation=None) -> Member:
    """Add a municipality or an organisation (exactly one); adding one already there finds it."""
    _manage(user, network)
    if (municipality is None) == (organisation is None):
        raise ValidationError(_("Choose a municipality or an organisation."))
    member, _created = Member.objects.get_or_create(
        network=network, municipality=municipality, organisation=organisation
    )
    return member


def add_contact(user, member: Member, person, role: str) -> Contact:
    _manage(user, member.network)
    if role not in ContactRole.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    return Contact.objects.get_or_create(member=member, person=person, role=role)[0]


def contacts(network: Network, user) -> list[Contact] | None:
    """The contact people, or None for a user who is neither KS staff nor a member."""
    if not user.has_perm("networks.view_contacts", network):
        return None
    return list(
        Contact.objects.filter(member__network=network).select_related(
            "person", "member__municipality", "member__organisation"
        )
    )


@transaction.atomic
def send_message(user, network: Network, subject: str, body: str) -> Message:
    """Queue one e-mail to every contact person with an address (each address once)."""
    _manage(user, network)
    screening.refuse_identity_numbers(f"{subject} {body}")
    addresses = sorted(
        set(
            Contact.objects.filter(member__network=network)
            .exclude(person__email="")
            .values_list("person__email", flat=True)
        )
    )
    if not addresses:
        raise ValidationError(_("No contact person in this network has an e-mail address."))
    message = Message(network=network, sender=user, subject=subject, body=body, recipients=len(addresses))
    message.full_clean()
    message.save()
    for address in addresses:  # one e-mail each: members do not see one another's addresses in the header
        mail.send_templated(
            "networks/email/message_subject.txt",
            "networks/email/message_body.txt",
            {"network": network, "message": message},
            [address],
        )
    return message


def coming_meetings(network: Network, user) -> list[Event]:
    """The network's meetings from today on (undated ones too) that ``user`` may open, the soonest first."""
    today = timezone.localdate()
    upcoming = Q(end_date__gte=today) | Q(end_date__isnull=True, start_date__gte=today) | Q(start_date__isnull=True)
    meetings = network.meetings.filter(upcoming).exclude(status=Event.Status.CANCELLED)
    return [event for event in meetings.order_by("start_date", "pk") if user.has_perm("events.view_event", event)]


def shared_documents(network: Network, user) -> QuerySet:
    """The network's documents ``user`` may open, by the library's own rule: others are not shown at all."""
    return library.visible_documents(user).filter(networks=network).order_by("title")


def link_meeting(user, network: Network, event: Event) -> None:
    _manage(user, network)
    network.meetings.add(event)


def create_meeting(user, network: Network, *, title: str, start_date: dt.date, city: str) -> Event:
    """KS makes a network meeting in the events app (planned, so the members see it) and links it."""
    _manage(user, network)
    with transaction.atomic():
        event = events.create_event(
            user,
            title=title,
            start_date=start_date,
            city=city,
            kind=Event.Kind.NETWORK_MEETING,
            status=Event.Status.PLANNED,
        )
        network.meetings.add(event)
    return event


def link_document(user, network: Network, document) -> None:
    """Share a library document with the network; who may open it is still the library's rule."""
    _manage(user, network)
    network.documents.add(document)
