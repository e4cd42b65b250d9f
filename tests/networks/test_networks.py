"""Networks: KS runs them; members see one another's contact people, others do not; a message reaches them all."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.conftest import (
    IDENTITY_NUMBER_DISGUISES,
    INVISIBLE_NAMES,
    INVISIBLE_REFUSAL,
    SCREENING_REFUSAL,
    logged_in_client,
    make_user,
)
from trygg.core.models import AuditEntry, Municipality, Organisation, Person, Role
from trygg.networks import services
from trygg.networks.models import ContactRole, Message, Network

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(users):
    admin = users["ks_admin"]
    network = services.create_network(admin, "Nettverk mot MC-kriminalitet")
    bergen = services.add_member(admin, network, municipality=Municipality.objects.get(name="Bergen"))
    kripos = Organisation.objects.create(name="Kripos (test)", kind=Organisation.Kind.NATIONAL_POLICE)
    police = services.add_member(admin, network, organisation=kripos)
    slt = Person.objects.create(name="Siri Koordinator", email="siri@bergen.invalid", phone="55 55 55 55")
    services.add_contact(admin, bergen, slt, ContactRole.SLT_COORDINATOR)
    services.add_contact(admin, bergen, slt, ContactRole.SLT_COORDINATOR)  # once
    services.add_contact(admin, police, Person.objects.create(name="Per Politi", email="per@kripos.invalid"),
                         ContactRole.POLICE_CONTACT)  # fmt: skip
    services.add_contact(admin, police, Person.objects.create(name="Uten E-post"), ContactRole.OTHER)
    return network


def test_members_see_one_anothers_contacts_and_others_do_not(users, clients, network):
    url = network.get_absolute_url()
    member = clients["municipal_contact"].get(url).content.decode()  # Bergen's contact
    assert "Siri Koordinator" in member and "SLT-koordinator" in member and "Per Politi" in member
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, content_type__model="network").exists()
    oslo = make_user(Role.MUNICIPAL_CONTACT, username="oslo")
    oslo.municipalities.set(Municipality.objects.filter(name="Oslo"))
    for outsider in (logged_in_client(oslo), clients["partner"]):
        page = outsider.get(url).content.decode()
        assert "Bergen" in page and "Siri Koordinator" not in page and "siri@bergen.invalid" not in page
        assert "Bare nettverkets medlemmer og KS ser kontaktpersonene." in page
    kripos_user = make_user(
        Role.PARTNER, username="kripos", organisation=Organisation.objects.get(name="Kripos (test)")
    )
    assert "Siri Koordinator" in logged_in_client(kripos_user).get(url).content.decode()
    assert "Siri Koordinator" in clients["ks_adviser"].get(url).content.decode()


def test_a_message_to_all_members_is_queued_once_per_address(
    users, clients, network, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("networks:send_message", args=[network.pk])
    data = {"subject": "Møte i mars", "body": "Vi møtes i Bergen 12. mars."}
    assert clients["municipal_contact"].post(url, data).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert clients["ks_adviser"].post(url, data).status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == ["per@kripos.invalid", "siri@bergen.invalid"]
    assert all(len(m.to) == 1 and m.subject == "[Nettverk mot MC-kriminalitet] Møte i mars" for m in mailoutbox)
    assert Message.objects.get().recipients == 2
    refused = clients["ks_adviser"].post(url, {"subject": "Hei", "body": "Fødselsnummer 01019012480"})
    assert refused.status_code == 200 and "fødselsnummer eller D-nummer" in refused.content.decode()
    assert Message.objects.count() == 1


def test_only_ks_runs_networks(users, clients, network):
    with pytest.raises(PermissionDenied):
        services.create_network(users["municipal_contact"], "Eget nettverk")
    with pytest.raises(ValidationError):
        services.add_member(users["ks_admin"], network)
    response = clients["ks_adviser"].post(reverse("networks:add_member", args=[network.pk]), {})
    assert response.status_code == 200 and "Velg en kommune eller en organisasjon." in response.content.decode()
    oslo = Municipality.objects.get(name="Oslo")
    response = clients["ks_adviser"].post(reverse("networks:add_member", args=[network.pk]), {"municipality": oslo.pk})
    assert response.status_code == 302 and network.members.filter(municipality=oslo).exists()
    assert clients["partner"].get(reverse("networks:create")).status_code == 403
    response = clients["ks_adviser"].post(reverse("networks:create"), {"name": "Nytt nettverk", "description": ""})
    assert response.status_code == 302


def test_every_text_refuses_disguised_identity_numbers_and_names_need_visible_characters(clients, network):
    """The network's name and description and a message's subject and body, through the pages KS uses."""
    adviser = clients["ks_adviser"]
    create, send = reverse("networks:create"), reverse("networks:send_message", args=[network.pk])
    for disguise in IDENTITY_NUMBER_DISGUISES:
        for url, data in [
            (create, {"name": f"Nettverk {disguise}", "description": ""}),
            (create, {"name": "Nettverk", "description": f"Leder: {disguise}"}),
            (send, {"subject": f"Om {disguise}", "body": "Hei"}),
            (send, {"subject": "Hei", "body": f"Om {disguise}"}),
        ]:
            response = adviser.post(url, data)
            assert response.status_code == 200 and SCREENING_REFUSAL in response.content.decode(), (data, disguise)
    for name in INVISIBLE_NAMES:
        for url, data in [(create, {"name": name, "description": ""}), (send, {"subject": name, "body": "Hei"})]:
            response = adviser.post(url, data)
            assert response.status_code == 200, (url, repr(name))
            if name.strip():
                assert INVISIBLE_REFUSAL in response.content.decode(), (url, repr(name))
    assert Network.objects.count() == 1 and not Message.objects.exists()
    assert adviser.post(create, {"name": "Nettverk i Ba\u030arum", "description": "A\u030asane"}).status_code == 302
    assert Network.objects.filter(name="Nettverk i Bårum", description="Åsane").exists()
