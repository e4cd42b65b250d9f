"""Networks in the REST API: who is a member, the coming meetings and shared documents the caller may open, and the
contact people — only for KS staff and the network's members, as on the page (and the read is audited)."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from trygg.core.api_schema import Id, named_enum, responses
from trygg.core.audit import record_read

from . import services
from .models import ContactRole, Network

router = Router(tags=["networks"])

NetworkContactRole = named_enum("NetworkContactRole", ContactRole)


class NetworkOut(Schema):
    id: int
    name: str
    description: str
    members: list[str] = Field(description="Member municipalities and partner organisations.")
    is_demo: bool = Field(alias="demo", description="Fictional demo data.")

    @staticmethod
    def resolve_members(obj) -> list[str]:
        return [str(member) for member in obj.members.all()]


class ContactOut(Schema):
    name: str = Field(alias="person.name")
    role: NetworkContactRole
    member: str
    email: str = Field(alias="person.email")
    phone: str = Field(alias="person.phone")

    @staticmethod
    def resolve_member(obj) -> str:
        return str(obj.member)


class MeetingOut(Schema):
    id: int
    title: str
    start_date: dt.date | None
    city: str


class DocumentOut(Schema):
    id: int
    title: str


class NetworkDetailOut(NetworkOut):
    meetings: list[MeetingOut] = Field(description="Coming meetings the caller may open.")
    documents: list[DocumentOut] = Field(description="Shared documents the caller may open.")
    contacts: list[ContactOut] | None = Field(description="Null unless the caller is KS staff or a member.")

    @staticmethod
    def resolve_meetings(obj, context):
        return services.coming_meetings(obj, context["request"].auth)

    @staticmethod
    def resolve_documents(obj, context):
        return services.shared_documents(obj, context["request"].auth)

    @staticmethod
    def resolve_contacts(obj, context):
        return services.contacts(obj, context["request"].auth)


def _networks():
    return Network.objects.prefetch_related("members__municipality", "members__organisation")


@router.get("", response=responses(list[NetworkOut], 401), summary="Networks and their members")
def list_networks(request):
    return _networks()


@router.get("/{network_id}", response=responses(NetworkDetailOut, 401, 404, 422), summary="One network")
def get_network(request, network_id: Id):
    network = get_object_or_404(_networks(), pk=network_id)
    if request.auth.has_perm("networks.view_contacts", network):
        record_read(network)  # the contact people are personal data
    return network
