"""Invitations reach the municipalities: personal links to their contacts, with or without a login.

The event is a second, ordinary conference (not the demo trip): Bergen, three tiers, a partner organisation.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from tests.conftest import logged_in_client
from trygg.core.models import Municipality, Organisation, Person, Role, User
from trygg.events import invitations
from trygg.events.models import Event, Invitation, InvitationDelivery, InvitationTier, Registration
from trygg.events.services import invoice_basis

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^/\s]+(/arrangementer/invitasjon/[^\s]+/)")


class BouncingBackend(EmailBackend):
    """The local-memory backend, except that mail to bounce.*@ fails as an SMTP server would refuse it."""

    def send_messages(self, messages):
        if any(address.startswith("bounce") for message in messages for address in message.to):
            raise ConnectionRefusedError("550 no such user")
        return super().send_messages(messages)


@pytest.fixture
def conference(municipalities, users):
    """ "Trygghet i det offentlige rom": Bergen (capital, 4), Voss and Askøy (2), Kripos (partner, 1)."""
    start = timezone.localdate() + dt.timedelta(days=60)
    event = Event.objects.create(
        title="Regional konferanse: Trygghet i det offentlige rom",
        kind=Event.Kind.CONFERENCE,
        city="Bergen",
        venue="Grieghallen",
        start_date=start,
        end_date=start + dt.timedelta(days=1),
        status=Event.Status.REGISTRATION_OPEN,
        registration_deadline=timezone.now() + dt.timedelta(days=30),
        price_per_person=Decimal("1850"),
        package_includes="Lunsj begge dager\nKaffe",
        package_excludes="Middag",
        includes_overnight=False,
    )
    capital = InvitationTier.objects.create(event=event, name="Fylkeshovedstad", quota=4, order=0)
    others = InvitationTier.objects.create(event=event, name="Andre kommuner i Vestland", quota=2, order=1)
    partners = InvitationTier.objects.create(event=event, name="Partnere", quota=1, order=2)
    bergen, voss, askoy = (Municipality.objects.get(name=name) for name in ("Bergen", "Voss", "Askøy"))
    kripos = Organisation.objects.create(name="Kripos", kind=Organisation.Kind.NATIONAL_POLICE)
    Person.objects.create(name="Berit Bergen", email="berit@bergen.kommune.invalid", municipality=bergen)
    Person.objects.create(name="Vidar Voss", email="vidar@voss.kommune.invalid", municipality=voss)
    Person.objects.create(name="Kari Kripos", email="kari@kripos.invalid", organisation=kripos)
    for municipality, tier in ((bergen, capital), (voss, others), (askoy, others)):
        Invitation.objects.create(event=event, municipality=municipality, tier=tier)
    Invitation.objects.create(event=event, organisation=kripos, tier=partners)
    return event


def adviser(users):
    return logged_in_client(users["ks_adviser"])


def send_all(users, event):
    """Send from the invitation list; the worker sends the queued e-mails once the request has committed."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return adviser(users).post(f"/arrangementer/{event.pk}/invitasjoner/send/", follow=True)


def link_for(email: str) -> str:
    message = next(m for m in mail.outbox if m.to == [email])
    return LINK.search(message.body).group(1)


def test_invitations_reach_contacts_without_a_login_and_nothing_unsent_is_marked_sent(conference, users):
    response = send_all(users, conference)

    recipients = sorted(m.to[0] for m in mail.outbox)
    # Bergen's and Drammen's login (the matrix's contact) also acts for Bergen, so Bergen has two contacts.
    assert recipients == [
        "berit@bergen.kommune.invalid",
        "kari@kripos.invalid",
        "municipal_contact@example.org",
        "vidar@voss.kommune.invalid",
    ]
    askoy = conference.invitations.get(municipality__name="Askøy")
    assert askoy.invited_at is None and not askoy.deliveries.exists()
    assert conference.invitations.exclude(pk=askoy.pk).filter(invited_at__isnull=True).count() == 0
    assert "Ingen kontakt å sende til: Askøy" in response.text
    page = adviser(users).get(f"/arrangementer/{conference.pk}/invitasjoner/")
    assert "Ingen kontakt å sende til: invitasjonen kan ikke nå dem." in page.text
    assert page.context["pending"] == 0  # nothing left that could be sent

    # A contact added right there makes Askøy sendable; sending again reaches only the new contact.
    adviser(users).post(
        f"/arrangementer/{conference.pk}/invitasjoner/{askoy.pk}/kontakt/",
        {"name": "Aslaug Askøy", "email": "aslaug@askoy.kommune.invalid"},
    )
    assert adviser(users).get(f"/arrangementer/{conference.pk}/invitasjoner/").context["pending"] == 1
    mail.outbox.clear()
    send_all(users, conference)
    assert [m.to for m in mail.outbox] == [["aslaug@askoy.kommune.invalid"]]


def test_the_invitation_says_what_when_where_price_deadline_and_holds_the_link(conference, users):
    send_all(users, conference)
    message = next(m for m in mail.outbox if m.to == ["vidar@voss.kommune.invalid"])
    body = message.body
    assert message.subject == "Invitasjon: Regional konferanse: Trygghet i det offentlige rom"
    assert "KS inviterer Voss til «Regional konferanse: Trygghet i det offentlige rom» (konferanse)" in body
    assert "med inntil 2 deltakere" in body
    assert "Grieghallen, Bergen" in body
    assert "kr 1\xa0850 per person" in body and "Lunsj begge dager" in body and "Middag" in body
    assert "Påmeldingsfrist:" in body
    assert LINK.search(body)


def test_a_bounce_is_shown_and_not_counted_as_sent(conference, users, settings):
    settings.EMAIL_BACKEND = "tests.events.test_invitations.BouncingBackend"
    askoy = conference.invitations.get(municipality__name="Askøy")
    Person.objects.create(name="Bo Feil", email="bounce@askoy.kommune.invalid", municipality=askoy.municipality)

    send_all(users, conference)  # the worker tries after the request, and the mail server refuses

    delivery = InvitationDelivery.objects.get(invitation=askoy)
    assert delivery.status == InvitationDelivery.Status.BOUNCED and "550" in delivery.error
    askoy.refresh_from_db()
    assert askoy.invited_at is None
    assert "Avvist" in adviser(users).get(f"/arrangementer/{conference.pk}/invitasjoner/").text


def test_a_contact_without_login_registers_sees_and_changes_the_delegation_through_the_link(
    conference, users, django_capture_on_commit_callbacks
):
    send_all(users, conference)
    link = link_for("vidar@voss.kommune.invalid")
    visitor = logged_in_client(None)

    page = visitor.get(link)
    assert page.status_code == 200
    assert "Delegasjon fra Voss" in page.text and "Påmeldingsfrist" in page.text
    assert "hotellrom" not in page.text  # no overnight stay in this package
    voss = conference.invitations.get(municipality__name="Voss")
    assert voss.opened_at is not None

    for number in range(3):
        visitor.post(link, {"name": f"Delegat {number}", "role": "adviser", "email": f"d{number}@voss.invalid"})
    delegates = conference.registrations.filter(municipality=voss.municipality).order_by("pk")
    assert [r.status for r in delegates] == ["confirmed", "confirmed", "waitlisted"]  # quota 2

    first = delegates[0]
    edited = visitor.post(f"{link}{first.pk}/", {"name": "Delegat Null", "role": "politician", "email": first.email})
    assert edited.status_code == 302
    first.refresh_from_db()
    assert first.name == "Delegat Null" and not first.overnight

    # Cancelling asks first; then the registration stays, as cancelled, and the waiting delegate moves up.
    assert "Melde av Delegat Null?" in visitor.get(f"{link}{first.pk}/avmeld/").text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(f"{link}{first.pk}/avmeld/")
    first.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    assert delegates.get(name="Delegat 2").status == Registration.Status.CONFIRMED
    assert sorted(m.to[0] for m in mail.outbox) == ["d0@voss.invalid", "d2@voss.invalid"]
    assert "Avmeldt" in visitor.get(link).text


def test_links_cannot_be_forged_and_die_when_revoked_renewed_or_past_the_deadline(conference, users):
    send_all(users, conference)
    link = link_for("vidar@voss.kommune.invalid")
    visitor = logged_in_client(None)
    voss = conference.invitations.get(municipality__name="Voss")
    bergen = conference.invitations.get(municipality__name="Bergen")

    forged = link.replace(f"/{voss.pk}.", f"/{bergen.pk}.")
    assert visitor.get(forged).status_code == 404
    assert visitor.get("/arrangementer/invitasjon/gjetting/").status_code == 404

    adviser(users).post(f"/arrangementer/{conference.pk}/invitasjoner/{voss.pk}/stopp-lenke/")
    assert visitor.get(link).status_code == 410
    assert visitor.post(link, {"name": "X", "email": "x@voss.invalid", "role": "other"}).status_code == 410
    assert not conference.registrations.exists()

    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        adviser(users).post(f"/arrangementer/{conference.pk}/invitasjoner/{voss.pk}/send/", {"renew": "1"})
    renewed = link_for("vidar@voss.kommune.invalid")
    assert renewed != link
    assert visitor.get(link).status_code == 404
    assert visitor.get(renewed).status_code == 200

    Event.objects.filter(pk=conference.pk).update(registration_deadline=timezone.now() - dt.timedelta(minutes=1))
    expired = visitor.get(renewed)
    assert expired.status_code == 410 and "Påmeldingsfristen" in expired.text


def test_a_login_from_the_link_goes_to_the_contact_s_own_address(conference, users):
    send_all(users, conference)
    link = link_for("vidar@voss.kommune.invalid")
    visitor = logged_in_client(None)

    refused = visitor.post(f"{link}konto/", {"email": "someone@else.invalid"}, follow=True)
    assert "er ikke en av kontaktene" in refused.text
    assert not User.objects.filter(email="someone@else.invalid").exists()

    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        visitor.post(f"{link}konto/", {"email": "Vidar@voss.kommune.invalid"})
    user = User.objects.get(email="vidar@voss.kommune.invalid")
    assert user.role == Role.MUNICIPAL_CONTACT and list(user.municipalities.values_list("name", flat=True)) == ["Voss"]
    assert not user.has_usable_password()
    set_password = re.search(r"https?://[^/\s]+(/konto/passord/\S+/)", mail.outbox[0].body).group(1)

    form = visitor.get(set_password, follow=True)
    visitor.post(
        form.redirect_chain[-1][0], {"new_password1": "Trygg-vestland-2027", "new_password2": "Trygg-vestland-2027"}
    )
    user.refresh_from_db()
    assert user.check_password("Trygg-vestland-2027")
    # The link is spent once used.
    assert "har vært brukt" in logged_in_client(None).get(set_password, follow=True).text


def test_invite_a_county_or_the_county_capitals_in_one_step_and_never_silently_ignore_a_tier(conference, users):
    client = adviser(users)
    others = conference.tiers.get(name="Andre kommuner i Vestland")
    capital = conference.tiers.get(name="Fylkeshovedstad")
    page = client.get(f"/arrangementer/{conference.pk}/invitasjoner/?county=46")
    assert "Voss – invitert (Andre kommuner i Vestland)" in page.text  # the list shows who is already invited
    assert len(page.context["offered"]) == Municipality.objects.filter(county__number="46").count()

    response = client.post(
        f"/arrangementer/{conference.pk}/invitasjoner/?county=46",
        {"invite": "county", "invite-tier": others.pk},
        follow=True,
    )
    in_vestland = Municipality.objects.filter(county__number="46").count()
    assert conference.invitations.filter(municipality__county__number="46").count() == in_vestland
    # Bergen was in another tier: it stays there, and the adviser is told.
    assert conference.invitations.get(municipality__name="Bergen").tier == capital
    assert "Bergen er allerede invitert i invitasjonsgruppen «Fylkeshovedstad» og ble ikke flyttet" in response.text

    client.post(f"/arrangementer/{conference.pk}/invitasjoner/", {"invite": "capitals", "invite-tier": capital.pk})
    capitals = set(conference.invitations.filter(tier=capital).values_list("municipality__number", flat=True))
    assert {"0301", "1103", "5006", "5501", "5607", "4601"} <= capitals

    search = client.get(f"/arrangementer/{conference.pk}/invitasjoner/?q=tromsø")
    assert [m.name for m in search.context["offered"]] == ["Tromsø"]


def test_partner_organisation_delegates_are_invoiced_to_the_organisation(conference, users):
    send_all(users, conference)
    link = link_for("kari@kripos.invalid")
    visitor = logged_in_client(None)
    visitor.post(link, {"name": "Kari Kripos", "role": "police", "email": "kari@kripos.invalid"})
    visitor.post(link, {"name": "Kollega", "role": "police", "email": "kollega@kripos.invalid"})
    kripos = Organisation.objects.get(name="Kripos")
    assert [r.status for r in conference.registrations.filter(partner=kripos).order_by("pk")] == [
        "confirmed",
        "waitlisted",
    ]
    lines = invoice_basis(conference)
    assert [(str(line.payer), line.count, line.total) for line in lines] == [("Kripos", 1, Decimal("1850"))]
    page = adviser(users).get(f"/arrangementer/{conference.pk}/budsjett/")
    assert "Kripos" in page.text
    tiers = logged_in_client(None).get(f"/api/events/{conference.pk}").json()["tiers"]
    assert {"number": None, "name": "Kripos", "quota": 1} in tiers[2]["municipalities"]

    # A partner organisation can be invited with its own quota.
    police = Organisation.objects.create(name="Vest politidistrikt", kind=Organisation.Kind.POLICE_DISTRICT)
    adviser(users).post(
        f"/arrangementer/{conference.pk}/invitasjoner/",
        {
            "invite_partner": "1",
            "partner-tier": conference.tiers.get(name="Partnere").pk,
            "partner-organisation": police.pk,
            "partner-quota": "3",
        },
    )
    invitation = conference.invitations.get(organisation=police)
    assert invitation.quota == 3
    assert "egen kvote: 3" in adviser(users).get(f"/arrangementer/{conference.pk}/invitasjoner/").text


def test_tiers_are_edited_and_deleted_while_unused(conference, users):
    client = adviser(users)
    spare = InvitationTier.objects.create(event=conference, name="Reserve", quota=1, order=3)
    others = conference.tiers.get(name="Andre kommuner i Vestland")
    voss = conference.invitations.get(municipality__name="Voss")
    for number in range(2):
        Registration.objects.create(event=conference, municipality=voss.municipality, name="D", email=f"{number}@x.no")

    refused = client.post(
        f"/arrangementer/{conference.pk}/nivaer/{others.pk}/",
        {f"tier{others.pk}-name": "Andre", f"tier{others.pk}-quota": "1"},
        follow=True,
    )
    assert "Voss har allerede 2 bekreftede deltakere" in refused.text
    client.post(
        f"/arrangementer/{conference.pk}/nivaer/{others.pk}/",
        {f"tier{others.pk}-name": "Andre kommuner", f"tier{others.pk}-quota": "3"},
    )
    others.refresh_from_db()
    assert (others.name, others.quota) == ("Andre kommuner", 3)

    in_use = client.post(f"/arrangementer/{conference.pk}/nivaer/{others.pk}/slett/", follow=True)
    assert "har fortsatt invitasjoner" in in_use.text
    client.post(f"/arrangementer/{conference.pk}/nivaer/{spare.pk}/slett/")
    assert not InvitationTier.objects.filter(pk=spare.pk).exists()


def test_an_invitation_is_moved_or_withdrawn_with_a_message_to_those_registered(
    conference, users, django_capture_on_commit_callbacks
):
    client = adviser(users)
    voss = conference.invitations.get(municipality__name="Voss")
    capital = conference.tiers.get(name="Fylkeshovedstad")
    client.post(f"/arrangementer/{conference.pk}/invitasjoner/{voss.pk}/flytt/", {"tier": capital.pk})
    voss.refresh_from_db()
    assert voss.tier == capital and voss.quota == 4

    delegate = Registration.objects.create(
        event=conference, municipality=voss.municipality, name="Vilde", email="vilde@voss.invalid"
    )
    confirm = client.get(f"/arrangementer/{conference.pk}/invitasjoner/{voss.pk}/trekk/")
    assert confirm.status_code == 200 and "Vilde" in confirm.text
    assert Invitation.objects.filter(pk=voss.pk).exists()  # asking changes nothing

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/arrangementer/{conference.pk}/invitasjoner/{voss.pk}/trekk/",
            {"message": "Konferansen er for kommuner med SLT."},
        )
    assert not Invitation.objects.filter(pk=voss.pk).exists()
    delegate.refresh_from_db()
    assert delegate.status == Registration.Status.CANCELLED  # kept, not deleted
    assert mail.outbox[0].to == ["vilde@voss.invalid"]
    assert "Konferansen er for kommuner med SLT." in mail.outbox[0].body


def test_ks_adds_a_municipal_contact_and_invites_them_to_trygg(municipalities, users):
    client = adviser(users)
    client.post("/kommuner/4621/kontakter/", {"name": "Vidar Voss", "email": "vidar@voss.kommune.invalid"})
    person = Person.objects.get(email="vidar@voss.kommune.invalid")
    assert person.municipality.name == "Voss"
    page = client.get("/kommuner/4621/")
    assert "Vidar Voss" in page.text and "Inviter til Trygg" in page.text

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(f"/personer/{person.pk}/inviter/", {"next": "/kommuner/4621/"})
    user = User.objects.get(email="vidar@voss.kommune.invalid")
    assert list(user.municipalities.values_list("number", flat=True)) == ["4621"]
    assert "/konto/passord/" in mail.outbox[0].body and "vidar@voss.kommune.invalid" in mail.outbox[0].body
    assert "Invitert, uten passord ennå" in client.get("/kommuner/4621/").text

    client.post(f"/kommuner/4621/kontakter/{user.pk}/fjern/")
    assert not user.municipalities.exists()
    # Only KS manages contacts.
    contact = logged_in_client(users["municipal_contact"])
    assert contact.post("/kommuner/4621/kontakter/", {"name": "X", "email": "x@x.no"}).status_code == 403
    assert "Kontakter" not in logged_in_client(None).get("/kommuner/4621/").text


def test_service_refuses_a_tier_of_another_event(conference, users):
    other = Event.objects.create(title="Annet", city="Oslo")
    tier = InvitationTier.objects.create(event=other, name="Alle", quota=1)
    with pytest.raises(invitations.EventError):
        invitations.invite(users["ks_adviser"], conference, tier, municipalities=[Municipality.objects.first()])


def test_the_list_names_each_row_by_the_invitation_s_plain_number(conference, users):
    """Bokmål groups thousands ("1 410"): an id in the page must not, or the row cannot be found by its anchor."""
    invitation = conference.invitations.get(municipality__name="Voss")
    invitation.delete()
    moved = Invitation.objects.create(
        pk=12345, event=conference, municipality=invitation.municipality, tier=invitation.tier
    )
    html = adviser(users).get(reverse("events:invitations", args=[conference.pk])).content.decode()
    assert f'id="invitation-{moved.pk}"' in html
