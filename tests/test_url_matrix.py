"""Role × URL matrix: every URL pattern of the project, for every role.

The expectations below must name every pattern: a new view without a row here fails
``test_every_url_has_a_rule``, so nobody can add a page without deciding who may see it.
"""

import datetime as dt
import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.conftest import ROLES, make_user
from trygg.cases import services as case_services
from trygg.core.models import APIToken, Area, Job, Municipality, Organisation, Person, Role, SupportMember, User
from trygg.events import services as event_services
from trygg.events.invitations import link_token
from trygg.events.models import (
    BudgetLine,
    CandidateDate,
    Event,
    Invitation,
    InvitationTier,
    PersonalDataGrant,
    PollParticipant,
    ProgrammeItem,
    Registration,
)
from trygg.library import services as library
from trygg.mapping.models import Questionnaire, Report, Round
from trygg.measures import catalogue, citations, guide
from trygg.measures.models import Plan, Proposal
from trygg.networks import lectures
from trygg.networks import services as network_services
from trygg.questionnaires.services import import_text, shipped

OK, CREATED, LOGIN, FORBIDDEN, NOT_FOUND, REDIRECT, UNAUTHORISED = 200, 201, "login", 403, 404, 302, 401


def everyone(expected):
    return dict.fromkeys(ROLES, expected)


def staff_only(denied=FORBIDDEN):
    return {
        "anonymous": LOGIN,
        "ks_admin": OK,
        "ks_adviser": OK,
        "municipal_contact": denied,
        "partner": denied,
    }


def logged_in(expected=OK):
    return {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], expected)}


def api_public():
    return everyone(OK)


def api_authenticated():
    return {"anonymous": UNAUTHORISED, **dict.fromkeys(ROLES[1:], OK)}


MANAGE = staff_only()
MANAGE_POST = {"anonymous": LOGIN, "ks_admin": REDIRECT, "ks_adviser": REDIRECT, **dict.fromkeys(ROLES[3:], FORBIDDEN)}

# view name -> (HTTP method, kwargs factory(user, objects) or None, {role: expected}[, request factory(objects)])
EXPECTATIONS = {
    "core:home": ("get", None, {"anonymous": OK, **dict.fromkeys(ROLES[1:], REDIRECT)}),
    "core:healthz": ("get", None, everyone(OK)),
    "core:readyz": ("get", None, everyone(OK)),
    "core:dashboard": ("get", None, logged_in()),
    "core:municipalities": ("get", None, everyone(OK)),
    "core:municipality": ("get", lambda u, o: {"number": "4601"}, everyone(OK)),
    "core:organisations": ("get", None, logged_in()),
    "core:organisation": ("get", lambda u, o: {"pk": o["organisation"].pk}, logged_in()),
    "core:organisation_create": ("get", None, staff_only()),
    "core:organisation_update": ("get", lambda u, o: {"pk": o["organisation"].pk}, staff_only()),
    "core:contact_add": ("post", lambda u, o: {"number": "4601"}, MANAGE_POST),
    "core:contact_login_remove": (
        "post",
        lambda u, o: {"number": "4601", "user_pk": o["contact_login"]().pk},
        MANAGE_POST,
    ),
    "core:person_invite": ("post", lambda u, o: {"pk": o["person"].pk}, MANAGE_POST),
    # The link from "invite to Trygg": anyone holding it may open it (a wrong token says the link is spent).
    "core:set_password": ("get", lambda u, o: {"uidb64": "MQ", "token": "spent-token"}, everyone(OK)),
    "core:people": ("get", None, staff_only()),
    "core:person": ("get", lambda u, o: {"pk": o["person"].pk}, staff_only()),
    "core:person_create": ("get", None, staff_only()),
    "core:person_update": ("get", lambda u, o: {"pk": o["person"].pk}, staff_only()),
    "core:audit": (
        "get",
        None,
        {
            "anonymous": LOGIN,
            "ks_admin": OK,
            "ks_adviser": FORBIDDEN,
            "municipal_contact": FORBIDDEN,
            "partner": FORBIDDEN,
        },
    ),
    "core:login": ("get", None, {"anonymous": OK, **dict.fromkeys(ROLES[1:], REDIRECT)}),
    "core:logout": ("post", None, everyone(REDIRECT)),
    # A background job is seen by the user who started it, nobody else (404: not even that it exists).
    "core:job": ("get", lambda u, o: {"pk": o["job"](u).pk}, logged_in()),
    "core:job_status": ("get", lambda u, o: {"pk": o["job"](u).pk}, logged_in()),
    "core:job_file": ("get", lambda u, o: {"pk": o["job"](u).pk}, logged_in()),
    # Staff who passed two-factor login are sent on; others are offered to pair an app.
    "core:two_factor": (
        "get",
        None,
        {"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], REDIRECT)},
    ),
    "core:two_factor_setup": (
        "get",
        None,
        {
            "anonymous": LOGIN,
            "ks_admin": REDIRECT,
            "ks_adviser": REDIRECT,
            "municipal_contact": OK,
            "partner": OK,
        },
    ),
    # Backup codes only past the second factor: a password alone is sent to the code step.
    "core:two_factor_backup_codes": (
        "get",
        None,
        {"anonymous": LOGIN, "ks_admin": OK, "ks_adviser": OK, "municipal_contact": REDIRECT, "partner": REDIRECT},
    ),
    "core:api_tokens": ("get", None, logged_in()),
    "core:api_token_delete": (
        "post",
        lambda u, o: {"pk": o["token"].pk},
        # A token can only be revoked by its owner (the admin here); others get 404, not a hint it exists.
        {
            "anonymous": LOGIN,
            "ks_admin": REDIRECT,
            "ks_adviser": NOT_FOUND,
            "municipal_contact": NOT_FOUND,
            "partner": NOT_FOUND,
        },
    ),
    "set_language": ("post", None, everyone(REDIRECT)),
    "api:api-root": ("get", None, everyone(NOT_FOUND)),
    "api:openapi-json": ("get", None, everyone(OK)),
    "api:openapi-view": ("get", None, everyone(OK)),
    "api:list_counties": ("get", None, api_public()),
    "api:list_municipalities": ("get", None, api_public()),
    "api:get_municipality": ("get", lambda u, o: {"number": "0301"}, api_public()),
    "api:list_organisations": ("get", None, api_authenticated()),
    "api:me": ("get", None, api_authenticated()),
    # Django's admin, for KS administrators only (the whole admin/ namespace is checked through these two).
    "admin:index": ("get", None, {"anonymous": LOGIN, "ks_admin": OK, **dict.fromkeys(ROLES[2:], LOGIN)}),
    "admin:core_organisation_changelist": (
        "get",
        None,
        {"anonymous": LOGIN, "ks_admin": OK, **dict.fromkeys(ROLES[2:], LOGIN)},
    ),
}
EVENT = lambda u, o: {"pk": o["event"].pk}  # noqa: E731
DELEGATION = lambda u, o: {"pk": o["event"].pk, "number": "4601"}  # noqa: E731
INVITATION = lambda u, o: {"pk": o["event"].pk, "invitation_pk": o["invitation"].pk}  # noqa: E731
PARTNER_DELEGATION = lambda u, o: {"pk": o["event"].pk, "organisation_pk": o["partner_organisation"].pk}  # noqa: E731
LINK = lambda u, o: {"token": link_token(o["invitation"])}  # noqa: E731
LINK_REGISTRATION = lambda u, o: {"token": link_token(o["invitation"]), "registration_pk": o["registration"].pk}  # noqa: E731
# KS manages; the contact acts for Bergen (invited); the partner has no events area; drafts aside, events are public.
EXPECTATIONS.update(
    {
        "events:list": ("get", None, everyone(OK)),
        "events:create": ("get", None, MANAGE),
        "events:detail": ("get", EVENT, everyone(OK)),
        "events:update": ("get", EVENT, MANAGE),
        "events:status": ("post", EVENT, MANAGE_POST),
        "events:cancel": ("get", EVENT, MANAGE),
        # Only a draft can be deleted: KS asking to delete an open event is sent back to it.
        "events:delete": ("get", EVENT, {**MANAGE, "ks_admin": REDIRECT, "ks_adviser": REDIRECT}),
        "events:personal_data_grant": ("post", EVENT, MANAGE_POST),
        "events:personal_data_revoke": (
            "post",
            lambda u, o: {"pk": o["event"].pk, "grant_pk": o["new_grant"]().pk},
            MANAGE_POST,
        ),
        "events:support_team": ("get", EVENT, MANAGE),
        "events:support_member_delete": (
            "post",
            lambda u, o: {"pk": o["event"].pk, "member_pk": o["new_support_member"]().pk},
            MANAGE_POST,
        ),
        "events:programme": ("get", EVENT, MANAGE),
        "events:programme_item_update": ("get", lambda u, o: {"pk": o["event"].pk, "item_pk": o["item"].pk}, MANAGE),
        "events:programme_item_delete": (
            "post",
            lambda u, o: {"pk": o["event"].pk, "item_pk": o["new_item"]().pk},
            MANAGE_POST,
        ),
        "events:invitations": ("get", EVENT, MANAGE),
        "events:send_invitations": ("post", EVENT, MANAGE_POST),
        "events:invitation_send": ("post", INVITATION, MANAGE_POST),
        "events:invitation_revoke": ("post", INVITATION, MANAGE_POST),
        "events:invitation_move": ("post", INVITATION, MANAGE_POST),
        "events:invitation_withdraw": ("get", INVITATION, MANAGE),
        "events:invitation_contact": ("get", INVITATION, MANAGE),
        "events:tier_update": ("post", lambda u, o: {"pk": o["event"].pk, "tier_pk": o["tier"].pk}, MANAGE_POST),
        "events:tier_delete": ("post", lambda u, o: {"pk": o["event"].pk, "tier_pk": o["new_tier"]().pk}, MANAGE_POST),
        # A partner organisation's delegation: KS's, and its own people's (the matrix's partner is of no organisation).
        "events:partner_delegation": ("get", PARTNER_DELEGATION, MANAGE),
        "events:partner_delegation_quota": ("post", PARTNER_DELEGATION, MANAGE_POST),
        # The invitation link is the right: whoever holds it, logged in or not, acts for that delegation.
        "events:invitation_link": ("get", LINK, everyone(OK)),
        "events:invitation_link_edit": ("get", LINK_REGISTRATION, everyone(OK)),
        "events:invitation_link_cancel": ("get", LINK_REGISTRATION, everyone(OK)),
        "events:invitation_link_login": ("post", LINK, everyone(REDIRECT)),
        "events:delegation": (
            "get",
            DELEGATION,
            {"anonymous": LOGIN, "ks_admin": OK, "ks_adviser": OK, "municipal_contact": OK, "partner": FORBIDDEN},
        ),
        "events:delegation_quota": ("post", DELEGATION, MANAGE_POST),
        "events:registration_update": (
            "get",
            lambda u, o: {"pk": o["event"].pk, "registration_pk": o["registration"].pk},
            {"anonymous": LOGIN, "ks_admin": OK, "ks_adviser": OK, "municipal_contact": OK, "partner": FORBIDDEN},
        ),
        "events:registration_cancel": (
            "post",
            lambda u, o: {"pk": o["event"].pk, "registration_pk": o["new_registration"]().pk},
            {**MANAGE_POST, "municipal_contact": REDIRECT},
        ),
        "events:participants": ("get", EVENT, MANAGE),
        "events:invite_linked": ("post", EVENT, MANAGE_POST),
        "events:send_reminders": ("post", EVENT, MANAGE_POST),
        "events:budget": ("get", EVENT, MANAGE),
        "events:budget_line_delete": (
            "post",
            lambda u, o: {"pk": o["event"].pk, "line_pk": o["new_budget_line"]().pk},
            MANAGE_POST,
        ),
        # Date poll: KS manages it; speakers answer through their personal link without an account.
        "events:poll": ("get", EVENT, MANAGE),
        "events:poll_answer": ("get", lambda u, o: {"token": o["participant"].token}, everyone(OK)),
        "events:poll_send": (
            "post",
            lambda u, o: {"pk": o["event"].pk, "participant_pk": o["participant"].pk},
            MANAGE_POST,
        ),
        "events:poll_remove_participant": (
            "post",
            lambda u, o: {"pk": o["event"].pk, "participant_pk": o["new_participant"]().pk},
            MANAGE_POST,
        ),
        "events:poll_remove_candidate": (
            "post",
            lambda u, o: {"pk": o["event"].pk, "candidate_pk": o["new_candidate"]().pk},
            MANAGE_POST,
        ),
        "events:poll_choose": (
            "post",
            lambda u, o: {"pk": o["event"].pk, "candidate_pk": o["new_candidate"]().pk},
            MANAGE_POST,
        ),
        # Group work: KS makes and adjusts the groups; the print page lists delegates, so it is personal data.
        "events:groups": ("get", EVENT, MANAGE),
        "events:group_move": ("post", EVENT, MANAGE_POST),
        "events:groups_print": ("get", EVENT, MANAGE),
        # Exports: the programme is public with the event; lists of people are personal data.
        "events:programme_pdf": ("get", EVENT, everyone(OK)),
        "events:programme_ics": ("get", EVENT, everyone(OK)),
        "events:item_ics": ("get", lambda u, o: {"pk": o["event"].pk, "item_pk": o["item"].pk}, everyone(OK)),
        "events:badges_pdf": ("get", EVENT, MANAGE),
        "events:participants_export": ("get", lambda u, o: {"pk": o["event"].pk, "format": "xlsx"}, MANAGE),
        "events:needs_export": ("get", lambda u, o: {"pk": o["event"].pk, "format": "csv"}, MANAGE),
        "events:rooming_export": ("get", lambda u, o: {"pk": o["event"].pk, "format": "xlsx"}, MANAGE),
        "events:invoice_export": ("get", lambda u, o: {"pk": o["event"].pk, "format": "csv"}, MANAGE),
        # The events API: public reading of events and programme; registrations per the same rules as the pages.
        "api:list_events": ("get", None, everyone(OK)),
        "api:get_event": ("get", lambda u, o: {"event_id": o["event"].pk}, everyone(OK)),
        "api:get_programme": ("get", lambda u, o: {"event_id": o["event"].pk}, everyone(OK)),
        "api:list_registrations": (
            "get",
            lambda u, o: {"event_id": o["event"].pk},
            {
                "anonymous": UNAUTHORISED,
                "ks_admin": OK,
                "ks_adviser": OK,
                "municipal_contact": OK,
                "partner": FORBIDDEN,
            },
        ),
        "api:register_delegate": (
            "post",
            lambda u, o: {"event_id": o["event"].pk},
            {
                "anonymous": UNAUTHORISED,
                "ks_admin": CREATED,
                "ks_adviser": CREATED,
                "municipal_contact": CREATED,
                "partner": FORBIDDEN,
            },
            lambda o: {
                "data": {"municipality": "4601", "name": "Ny (fiktiv)", "email": f"api{o['counter']()}@x.no"},
                "content_type": "application/json",
            },
        ),
        "api:cancel_registration": (
            "delete",
            lambda u, o: {"registration_id": o["new_registration"]().pk},
            {
                "anonymous": UNAUTHORISED,
                "ks_admin": OK,
                "ks_adviser": OK,
                "municipal_contact": OK,
                "partner": FORBIDDEN,
            },
        ),
    }
)

ROUND = lambda u, o: {"pk": o["round"].pk}  # noqa: E731
ROUND_PK = lambda u, o: {"round_pk": o["round"].pk}  # noqa: E731
REPORT = lambda u, o: {"pk": o["report"].pk}  # noqa: E731
LOGGED_IN = logged_in()
# Situation reports are sensitive: the contact sees Bergen's own; the partner here HAS the mapping area (read only).
CONTACT_WRITES = {"anonymous": LOGIN, "ks_admin": REDIRECT, "ks_adviser": REDIRECT, "municipal_contact": REDIRECT,
                  "partner": FORBIDDEN}  # fmt: skip
API_READ = {"anonymous": UNAUTHORISED, **dict.fromkeys(ROLES[1:], OK)}
EXPECTATIONS.update(
    {
        "mapping:index": ("get", None, LOGGED_IN),
        "mapping:round": ("get", ROUND, LOGGED_IN),
        "mapping:round_create": ("get", None, MANAGE),
        "mapping:round_close": ("post", ROUND, MANAGE_POST),
        "mapping:round_remind": ("post", ROUND, MANAGE_POST),
        "mapping:report_start": ("post", ROUND_PK, CONTACT_WRITES, lambda o: {"data": {"municipality": "4601"}}),
        "mapping:report": ("get", REPORT, LOGGED_IN),
        "mapping:report_edit": (
            "get",
            lambda u, o: {"pk": o["new_draft"]().pk},
            {**LOGGED_IN, "partner": FORBIDDEN},
        ),
        "mapping:report_submit": ("post", REPORT, CONTACT_WRITES),
        "mapping:report_reopen": ("post", REPORT, CONTACT_WRITES),
        "mapping:picture": ("get", ROUND_PK, LOGGED_IN),
        "mapping:brief": ("get", ROUND_PK, LOGGED_IN),
        "mapping:brief_pdf": ("post", ROUND_PK, logged_in(REDIRECT)),
        "mapping:aggregates_export": ("get", lambda u, o: {"round_pk": o["round"].pk, "format": "csv"}, LOGGED_IN),
        "mapping:full_export": ("get", ROUND_PK, MANAGE),
        "api:list_rounds": ("get", None, API_READ),
        "api:get_response_rates": (
            "get",
            lambda u, o: {"round_id": o["round"].pk},
            {**API_READ, "municipal_contact": FORBIDDEN},
        ),
        "api:get_picture": ("get", lambda u, o: {"round_id": o["round"].pk}, API_READ),
        "api:get_report": ("get", lambda u, o: {"report_id": o["report"].pk}, API_READ),
    }
)


def topic_round(o) -> Round:
    """A round on another topic asking Bergen: the shipped "Trygghet i det offentlige rom" definition (once)."""
    if "topic_round" not in o:
        version = import_text(shipped()["trygghet-offentlig-rom.yaml"].read_text(encoding="utf-8"))[0]
        round = Round.objects.create(
            name="Trygghetsrunde", definition=version, opens_at=o["round"].opens_at, deadline=o["round"].deadline
        )
        round.municipalities.add(*o["round"].municipalities.all())
        o["topic_round"] = round
    return o["topic_round"]


DEFINITION = lambda u, o: {"pk": topic_round(o).definition_id, "format": "yaml"}  # noqa: E731
EXPECTATIONS.update(
    {
        "mapping:definitions": ("get", None, MANAGE),
        "mapping:definition_import_shipped": (
            "post",
            None,
            MANAGE_POST,
            lambda o: {"data": {"file": "trygghet-offentlig-rom.yaml"}},
        ),
        "mapping:definition_export": ("get", DEFINITION, MANAGE),
        "api:get_round_definition": ("get", lambda u, o: {"round_id": topic_round(o).pk}, API_READ),
    }
)
# Measures: the published catalogue and guide are public; editors are KS staff (and partners with the measures area,
# which the matrix's partner lacks); advice and plans belong to the municipality (the contact acts for Bergen).
MEASURE = lambda u, o: {"key": o["measure"].key}  # noqa: E731
PLAN = lambda u, o: {"pk": o["plan"].pk}  # noqa: E731
EDITION = lambda u, o: {"number": o["edition"].number}  # noqa: E731
EXPECTATIONS.update(
    {
        "measures:list": ("get", None, everyone(OK)),
        "measures:matrix": ("get", None, everyone(OK)),
        "measures:measure": ("get", MEASURE, everyone(OK)),
        "measures:history": ("get", MEASURE, staff_only()),
        "measures:version": ("get", lambda u, o: {"key": o["measure"].key, "revision": 1}, staff_only()),
        "measures:create": ("get", None, staff_only()),
        "measures:edit": ("get", MEASURE, staff_only()),
        "measures:status": ("post", MEASURE, MANAGE_POST),
        "measures:guide": ("get", None, everyone(OK)),
        "measures:edition": ("get", EDITION, everyone(OK)),
        "measures:edition_pdf": ("get", EDITION, everyone(OK)),
        "measures:edition_references": (
            "get",
            lambda u, o: {"number": o["edition"].number, "kind": "ris"},
            everyone(OK),
        ),
        "measures:proposals": ("get", None, staff_only()),
        "measures:proposal": ("get", lambda u, o: {"pk": o["proposal"].pk}, staff_only()),
        "measures:proposal_decide": ("post", lambda u, o: {"pk": o["proposal"].pk}, MANAGE_POST),
        "measures:sources": ("get", None, staff_only()),
        "measures:source_check": ("post", lambda u, o: {"pk": o["measure"].sources.get().pk}, MANAGE_POST),
        "measures:edition_compare": ("get", None, everyone(OK)),
        "measures:guide_draft": ("get", None, staff_only()),
        "measures:edition_publish": ("get", None, staff_only()),
        "measures:chapters": ("get", None, staff_only()),
        "measures:chapter_add": ("get", None, staff_only()),
        "measures:chapter_edit": ("get", lambda u, o: {"slug": o["chapter"].slug}, staff_only()),
        "measures:advice": ("get", None, logged_in()),
        # The matrix's partner has the mapping area, so reads the situation behind Bergen's advice and plans.
        "measures:advice_for": ("get", lambda u, o: {"number": "4601"}, logged_in()),
        "measures:plan_save": ("post", lambda u, o: {"number": "4601"}, {**MANAGE_POST, "municipal_contact": REDIRECT}),
        "measures:plans": ("get", None, logged_in()),
        "measures:plan": ("get", PLAN, logged_in()),
        "measures:plan_pdf": ("get", PLAN, logged_in()),
        "measures:group_verdicts": ("get", lambda u, o: {"event_pk": o["event"].pk}, staff_only()),
        "api:list_measures": ("get", None, api_public()),
        "api:get_measure": ("get", MEASURE, api_public()),
        "api:get_measure_matrix": ("get", None, api_public()),
        "api:list_guide_editions": ("get", None, api_public()),
        "api:get_guide_edition": ("get", EDITION, api_public()),
    }
)
CASE = lambda u, o: {"pk": o["case"].pk}  # noqa: E731
API_CASE = lambda u, o: {"case_id": o["case"].pk}  # noqa: E731
# Help in a difficult case: Bergen's contact asked; the partner here has no cases area, so it is not drawn in.
NEW_CASE = {"municipality": "4601", "title": "Vold", "description": "Slagsmål ved klubben.", "urgency": "soon"}
ON_THE_CASE = {"anonymous": LOGIN, "ks_admin": OK, "ks_adviser": OK, "municipal_contact": OK, "partner": FORBIDDEN}
EXPECTATIONS.update(
    {
        "cases:index": ("get", None, logged_in()),
        "cases:create": ("get", None, {**MANAGE, "ks_adviser": FORBIDDEN, "municipal_contact": OK}),
        "cases:detail": ("get", CASE, ON_THE_CASE),
        "cases:add_note": ("post", CASE, CONTACT_WRITES, lambda o: {"data": {"body": "Notat", "visibility": "shared"}}),
        "cases:triage": ("post", CASE, MANAGE_POST, lambda o: {"data": {"category": "other", "urgency": "soon"}}),
        "cases:add_expert": ("post", CASE, MANAGE_POST, lambda o: {"data": {"expert": o["new_expert"]().pk}}),
        "cases:change_status": ("post", CASE, MANAGE_POST, lambda o: {"data": {"status": "open"}}),
        "api:list_cases": ("get", None, API_READ),
        "api:get_case": ("get", API_CASE, {**API_READ, "partner": NOT_FOUND}),
        "api:add_note": (
            "post",
            API_CASE,
            {**dict.fromkeys(ROLES[1:4], CREATED), "anonymous": UNAUTHORISED, "partner": NOT_FOUND},
            lambda o: {"data": {"body": "Notat"}, "content_type": "application/json"},
        ),
        "cases:change_confidential": ("post", CASE, MANAGE_POST),
        "cases:link_measure": ("post", CASE, MANAGE_POST, lambda o: {"data": {"measure": o["measure"].pk}}),
        "cases:link_document": ("post", CASE, MANAGE_POST, lambda o: {"data": {"document": o["document"].pk}}),
        "cases:close": ("post", CASE, MANAGE_POST, lambda o: {"data": {"tags": "eiendom"}}),
        "api:create_case": (
            "post",
            None,
            {**everyone(FORBIDDEN), "anonymous": UNAUTHORISED, "municipal_contact": CREATED},
            lambda o: {"data": {**NEW_CASE, "submission_key": str(uuid.uuid4())}, "content_type": "application/json"},
        ),
        "api:triage_case": (
            "post",
            API_CASE,
            {**API_READ, "municipal_contact": FORBIDDEN, "partner": NOT_FOUND},
            lambda o: {"data": {"category": "other", "urgency": "soon"}, "content_type": "application/json"},
        ),
    }
)
NETWORK = lambda u, o: {"pk": o["network"].pk}  # noqa: E731
LECTURE = lambda u, o: {"pk": o["lecture"].pk}  # noqa: E731
LECTURE_READ = {**staff_only(), "municipal_contact": OK}
# Networks: everyone logged in sees who is a member; contact people only KS and members (tests/networks).
EXPECTATIONS.update(
    {
        "networks:index": ("get", None, logged_in()),
        "networks:create": ("get", None, MANAGE),
        "networks:detail": ("get", NETWORK, logged_in()),
        "networks:add_member": (
            "post",
            NETWORK,
            MANAGE_POST,
            lambda o: {"data": {"organisation": o["organisation"].pk}},
        ),
        "networks:add_contact": (
            "post",
            NETWORK,
            MANAGE_POST,
            lambda o: {"data": {"member": o["network_member"].pk, "person": o["person"].pk, "role": "other"}},
        ),
        "networks:send_message": ("post", NETWORK, MANAGE_POST, lambda o: {"data": {"subject": "Møte", "body": "Hei"}}),
        "networks:create_meeting": (
            "post",
            NETWORK,
            MANAGE_POST,
            lambda o: {"data": {"title": "Nettverksmøte", "start_date": "2030-03-12", "city": "Bergen"}},
        ),
        "networks:link_meeting": ("post", NETWORK, MANAGE_POST, lambda o: {"data": {"event": o["event"].pk}}),
        "networks:link_document": ("post", NETWORK, MANAGE_POST, lambda o: {"data": {"document": o["document"].pk}}),
        "networks:lectures": ("get", None, LECTURE_READ),
        "networks:lecture_request": ("get", None, {**MANAGE, "ks_adviser": FORBIDDEN, "municipal_contact": OK}),
        "networks:lecture": ("get", LECTURE, LECTURE_READ),
        "networks:lecture_plan": ("post", LECTURE, MANAGE_POST, lambda o: {"data": {"status": "planned"}}),
        "networks:lecture_event": ("post", LECTURE, MANAGE_POST),
        "api:list_networks": ("get", None, API_READ),
        "api:get_network": ("get", lambda u, o: {"network_id": o["network"].pk}, API_READ),
    }
)
# Library: the list, search and suggestions are open to all and show each role what it may open; a document for all
# municipalities is a 404 for those who may not open it (as if it did not exist); only KS staff upload.
DOCUMENT = lambda u, o: {"pk": o["document"].pk}  # noqa: E731
MUNICIPAL_DOCUMENT = {
    "anonymous": NOT_FOUND,
    "ks_admin": OK,
    "ks_adviser": OK,
    "municipal_contact": OK,
    "partner": NOT_FOUND,
}
EXPECTATIONS.update(
    {
        "library:list": ("get", None, everyone(OK)),
        "library:suggest": ("get", None, everyone(OK)),
        "library:upload": ("get", None, staff_only()),
        "library:rebuild": ("post", None, MANAGE_POST),
        "library:document": ("get", DOCUMENT, MUNICIPAL_DOCUMENT),
        "library:text": ("get", DOCUMENT, MUNICIPAL_DOCUMENT),
        "library:file": ("get", DOCUMENT, MUNICIPAL_DOCUMENT),
        "library:thumbnail": ("get", DOCUMENT, everyone(NOT_FOUND)),  # a text file has no picture of a page
        "library:citation": ("get", lambda u, o: {"pk": o["document"].pk, "kind": "ris"}, MUNICIPAL_DOCUMENT),
        "api:search_documents": ("get", None, api_public()),
        "api:get_document": ("get", lambda u, o: {"document_id": o["document"].pk}, MUNICIPAL_DOCUMENT),
    }
)


def youth_survey(status: str):
    """A fresh survey of Bergen's (approving and closing change it), with the standard questionnaire loaded."""
    from trygg.youth import demo, services

    if not services.theme_choices():
        demo.load_standard()
    admin = User.objects.filter(role=Role.KS_ADMIN).first()
    today = timezone.localdate()
    bergen = Municipality.objects.get(number="4601")
    survey = services.order_survey(admin, bergen, today, today + dt.timedelta(days=9), "Nordnes skole; 9A; 9; 3")
    if status != "ordered":
        survey = services.approve_survey(admin, survey)
    if status == "closed":
        survey = services.close_survey(admin, survey)
    return survey


# The youth survey: pupils' pages are public and anonymous; KS staff see every survey, the contact Bergen's; the
# partner (without a youth area) nothing.
YOUTH_READ = {"anonymous": LOGIN, "ks_admin": OK, "ks_adviser": OK, "municipal_contact": OK, "partner": FORBIDDEN}
YOUTH = lambda status: lambda u, o: {"pk": youth_survey(status).pk}  # noqa: E731
EXPECTATIONS.update(
    {
        "youth:start": ("get", None, everyone(OK)),
        "youth:answer": ("get", None, everyone(OK)),
        "youth:thanks": ("get", None, everyone(OK)),
        "youth:index": ("get", None, YOUTH_READ),
        "youth:order": ("get", None, YOUTH_READ),
        "youth:survey": ("get", YOUTH("approved"), YOUTH_READ),
        "youth:approve": ("post", YOUTH("ordered"), MANAGE_POST),
        "youth:close": ("post", YOUTH("approved"), {**MANAGE_POST, "municipal_contact": REDIRECT}),
        "youth:codes_pdf": ("get", YOUTH("approved"), YOUTH_READ),
        "youth:report": ("get", YOUTH("closed"), YOUTH_READ),
        "youth:report_export": ("get", YOUTH("closed"), YOUTH_READ),
        "api:list_surveys": ("get", None, API_READ),
        "api:get_figures": (
            "get",
            lambda u, o: {"survey_id": youth_survey("closed").pk},
            {**API_READ, "partner": NOT_FOUND},
        ),
    }
)

# The youth survey's offline copy of the questionnaire (named by survey and level, signed) and its service worker:
# public, as the pupil's pages are.
EXPECTATIONS.update(
    {
        "youth:offline": (
            "get",
            lambda u, o: {"key": youth_offline_key()},
            everyone(OK),
        ),
        "youth:worker": ("get", None, everyone(OK)),
    }
)


def youth_offline_key() -> str:
    from trygg.youth import services

    return services.offline_key(services.questionnaire_of(youth_survey("approved"), "lower"))


# The youth survey's reports: the PDF job for whoever sees the survey; the national and county overviews for KS.
YOUTH_KS = {"anonymous": LOGIN, "ks_admin": OK, "ks_adviser": OK, **dict.fromkeys(ROLES[3:], FORBIDDEN)}
EXPECTATIONS.update(
    {
        "youth:report_pdf": ("post", YOUTH("closed"), {**YOUTH_READ, **dict.fromkeys(ROLES[1:4], REDIRECT)}),
        "youth:overview": ("get", None, YOUTH_KS),
        "youth:county": ("get", lambda u, o: {"number": "46"}, YOUTH_KS),
    }
)

# The youth survey's parents' sheet (from the order on), researchers' grants (KS grants, the grantee downloads) and
# the measures KS tags with youth indicators.
EXPECTATIONS.update(
    {
        "youth:parents_pdf": ("get", YOUTH("ordered"), YOUTH_READ),
        "measures:youth_indicators": ("get", MEASURE, staff_only()),
        "youth:grants": ("get", None, YOUTH_KS),
        "youth:grant_new": ("get", None, YOUTH_KS),
        "youth:grant_revoke": ("post", lambda u, o: {"pk": research_grant().pk}, MANAGE_POST),
        "youth:grant_export": (
            "get",
            lambda u, o: {"pk": research_grant().pk, "kind": "csv"},
            {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN, "partner": OK},
        ),
    }
)


# A survey's own questions: written by KS and the municipality's contact, read by whoever sees the survey; their
# published figures through the API like the others.
OWN_QUESTION = "Bruker du folkebiblioteket?"


def youth_own_question():
    """An ordered survey of Bergen's with one question of its own (``OWN_QUESTION``)."""
    from trygg.youth import own

    survey = youth_survey("ordered")
    admin = User.objects.filter(role=Role.KS_ADMIN).first()
    own.save(admin, survey, own.question("single", {"nb": OWN_QUESTION}, {"nb": ["Ja", "Nei"]}))
    return {"pk": survey.pk, "number": 1}


YOUTH_WRITE = {**dict.fromkeys(ROLES[1:4], REDIRECT), "anonymous": LOGIN, "partner": FORBIDDEN}
EXPECTATIONS.update(
    {
        "youth:own_questions": ("get", lambda u, o: {"pk": youth_own_question()["pk"]}, YOUTH_READ),
        "youth:own_question": ("get", lambda u, o: youth_own_question(), YOUTH_READ),
        "youth:own_question_change": ("post", lambda u, o: youth_own_question(), YOUTH_WRITE),
        "api:get_own_figures": (
            "get",
            lambda u, o: {"survey_id": youth_survey("closed").pk},
            {**API_READ, "partner": NOT_FOUND},
        ),
    }
)


def research_grant():
    """Access for the partner, as a researcher, to a closed survey of Bergen's (only the partner downloads)."""
    from trygg.youth import research

    admin = User.objects.filter(role=Role.KS_ADMIN).first()
    partner = User.objects.get(username="test_partner")
    until = timezone.localdate() + dt.timedelta(days=30)
    return research.grant(admin, partner, "Trivsel over tid", until, [youth_survey("closed")])


COVERED_NAMESPACES = ("admin:",)


def all_url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


def test_every_url_has_a_rule():
    missing = sorted(
        name for name in set(all_url_names()) if name not in EXPECTATIONS and not name.startswith(COVERED_NAMESPACES)
    )
    assert missing == [], f"URL patterns without a row in the role × URL matrix: {missing}"


def test_every_rule_names_a_url():
    """The other way round: a row for a view that no longer exists would prove nothing while looking like a proof."""
    stale = sorted(set(EXPECTATIONS) - set(all_url_names()))
    assert stale == [], f"rows in the role × URL matrix for no URL pattern: {stale}"


@pytest.fixture
def objects(users):
    organisation = Organisation.objects.create(name="Testkommunens SLT", kind=Organisation.Kind.MUNICIPALITY)
    person = Person.objects.create(name="Test Testesen", organisation=organisation)
    token, _ = APIToken.issue(users["ks_admin"], "test")
    event = Event.objects.create(title="Testseminar", city="Bergen", status=Event.Status.REGISTRATION_OPEN)
    tier = InvitationTier.objects.create(event=event, name="Alle", quota=3)
    bergen = Municipality.objects.get(number="4601")
    invitation = Invitation.objects.create(event=event, municipality=bergen, tier=tier)
    kripos = Organisation.objects.create(name="Kripos (test)", kind=Organisation.Kind.NATIONAL_POLICE)
    Invitation.objects.create(event=event, organisation=kripos, tier=tier)
    item = ProgrammeItem.objects.create(event=event, start="2030-01-01T10:00+01:00", title="Velkommen")
    counter = iter(range(1000))

    def new_participant():
        number = next(counter)
        speaker = Person.objects.create(name=f"Innleder {number}")
        return PollParticipant.objects.create(event=event, person=speaker, token=f"token-{number}")

    def new_candidate():
        return CandidateDate.objects.create(event=event, date=dt.date(2031, 1, 1) + dt.timedelta(days=next(counter)))

    def new_contact_login():
        login = User.objects.create(username=f"login{next(counter)}", role="municipal_contact", email="l@x.no")
        login.municipalities.add(bergen)
        return login

    def new_registration():
        return Registration.objects.create(event=event, municipality=bergen, name="X", email=f"x{next(counter)}@x.no")

    questionnaire = Questionnaire.objects.get_or_create(version=1, defaults={"title": "Dialogspørsmål"})[0]
    now = timezone.now()
    survey_round = Round.objects.create(
        name="Testrunde",
        questionnaire=questionnaire,
        opens_at=now - dt.timedelta(days=1),
        deadline=now + dt.timedelta(days=9),
    )
    survey_round.municipalities.add(bergen)

    def new_draft():
        draft = Report.objects.create(round=survey_round)
        draft.municipalities.add(bergen)
        return draft

    adviser = users["ks_adviser"]
    measure = catalogue.save_measure(
        adviser,
        None,
        {
            "name": "Skjenkekontroll",
            "summary": "Kontroll",
            "mechanisms": ["deterrence"],
            "stages": ["activity"],
            "verdict": "inconclusive",
            "verdict_reason": "Lite evaluert.",
            "verdict_quality": "none",
        },
        sources=[{"reference": "KS 2011"}],
        experiences=[],
        reason="test",
    )
    citations.mark_checked(measure.sources.get(), "Test")
    for status in ("review", "published"):
        measure = catalogue.change_status(adviser, measure, status, reason="test", revision=measure.revision)

    other = make_user(Role.PARTNER, username="other")

    def job(owner):
        """A finished job with a file, owned by ``owner`` (someone else's for the anonymous visitor)."""
        made = Job.objects.create(owner=owner or other, title="PDF", state=Job.State.DONE, task_path="x", language="nb")
        made.result_file.save("test.pdf", ContentFile(b"%PDF-1.7"), save=False)
        made.result_name, made.result_url = "test.pdf", reverse("core:job_file", args=[made.pk])
        made.save()
        return made

    def new_expert():
        return make_user(Role.PARTNER, username=f"ekspert{next(counter)}", partner_areas=[Area.CASES])

    case, _created = case_services.submit(
        users["municipal_contact"],
        municipality=bergen,
        submission_key=uuid.uuid4(),
        title="En gruppe kjøper eiendom",
        description="Et 1 %-miljø vil kjøpe et lager.",
        urgency="soon",
    )

    network = network_services.create_network(users["ks_admin"], "Testnettverk")
    network_member = network_services.add_member(users["ks_admin"], network, municipality=bergen)
    slt = Person.objects.create(name="SLT Bergen", email="slt@bergen.invalid")
    network_services.add_contact(users["ks_admin"], network_member, slt, "slt_coordinator")

    lecture, _created = lectures.request(
        users["municipal_contact"], municipality=bergen, submission_key=uuid.uuid4(), topic="MC-miljøer"
    )

    document = library.add_trusted(
        adviser,
        {"title": "Rapport for kommunene", "kind": "report", "access": "municipalities"},
        "rapport.txt",
        b"Kommunene og ungdommen.",
    )

    return {
        "network": network,
        "network_member": network_member,
        "lecture": lecture,
        "case": case,
        "new_expert": new_expert,
        "job": job,
        "document": document,
        "measure": measure,
        "chapter": guide.save_chapter(
            None, {"title": "Om veilederen", "slug": "", "placement": "before", "position": 1, "body": "Tekst."}
        ),
        "edition": guide.publish_edition(adviser, "Første utgave"),
        "proposal": Proposal.objects.create(
            measure=measure, base_revision=measure.revision, data={"summary": "Rettet"}, reason="Rettelse"
        ),
        "plan": Plan.objects.create(municipality=bergen, title="Plan for Bergen"),
        "round": survey_round,
        "report": new_draft(),
        "new_draft": new_draft,
        "organisation": organisation,
        "person": person,
        "token": token,
        "event": event,
        "tier": tier,
        "new_tier": lambda: InvitationTier.objects.create(event=event, name=f"Ny {next(counter)}", quota=1),
        "invitation": invitation,
        "partner_organisation": kripos,
        "contact_login": new_contact_login,
        "new_grant": lambda: PersonalDataGrant.objects.create(event=event, user=new_contact_login(), purpose="Test"),
        "item": item,
        "registration": new_registration(),
        "new_registration": new_registration,
        "new_item": lambda: ProgrammeItem.objects.create(event=event, start=item.start, title="Pause"),
        "new_support_member": lambda: SupportMember.objects.create(
            team=event_services.support_team_of(event), organisation=organisation
        ),
        "new_budget_line": lambda: BudgetLine.objects.create(event=event, description="Leie", amount=1),
        "participant": new_participant(),
        "new_participant": lambda: new_participant(),
        "new_candidate": new_candidate,
        "counter": lambda: next(counter),
    }


def outcome(response):
    location = response.get("Location", "")
    if response.status_code == 302 and ("/konto/logg-inn/" in location or "/admin/login/" in location):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_role_url_matrix(name, users, clients, objects):
    method, kwargs_for, expected, *request_for = EXPECTATIONS[name]
    assert set(expected) == set(ROLES), f"{name} must state what every role gets"
    for role in ROLES:
        kwargs = kwargs_for(users[role], objects) if kwargs_for else {}
        url = reverse(name, kwargs=kwargs)
        request = request_for[0](objects) if request_for else {}
        if name == "set_language":
            request = {"data": {"language": "nb", "next": "/"}}
        response = getattr(clients[role], method)(url, **request)
        assert outcome(response) == expected[role], f"{role} {method.upper()} {url}"
