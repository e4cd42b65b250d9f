"""Advice for a municipality: the transparent rules, who may see whose advice, peers with suppression, and plans."""

import datetime as dt
import re
import subprocess

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import IDENTITY_NUMBER_DISGUISES, INVISIBLE_NAMES, SCREENING_REFUSAL, logged_in_client, make_user
from trygg.core.models import Area, AuditEntry, Municipality, Role
from trygg.mapping.models import Questionnaire, Report, ReportGroup, ReportMeasure, Round
from trygg.measures import advice, catalogue, plans
from trygg.measures.advice import Situation
from trygg.measures.models import Plan

from .conftest import SOURCES

GROUP = {"hosts_group": "yes", "crews": "yes", "recruitment_signs": "yes", "crime_kinds": ["narcotics"]}


@pytest.fixture
def catalogue_measures(make_measure):
    """Four published measures and one draft, each built for one rule."""
    return {
        "activity": make_measure(
            name="Skjenkekontroll på klubbhus",
            stages=["activity"],
            mechanisms=["deterrence"],
            actors=["municipality", "licensing"],
            backfires=["displacement"],
        ),
        "recruitment": make_measure(
            name="Skoleprogram mot rekruttering",
            stages=["recruitment"],
            mechanisms=["recruitment"],
            actors=["schools"],
            backfires=[],
        ),
        "harmful": make_measure(
            name="Massearrestasjoner", stages=["activity"], mechanisms=["deterrence"], verdict="harmful", backfires=[]
        ),
        "crackdown": make_measure(
            name="Felles razzia",
            stages=["activity"],
            mechanisms=["disruption"],
            actors=["police"],
            verdict="inconclusive",
            backfires=["cohesion"],
        ),
        "draft": make_measure(status="draft", name="Uferdig tiltak", stages=["activity"]),
    }


@pytest.fixture
def survey_round(municipalities):
    questionnaire = Questionnaire.objects.get_or_create(version=1, defaults={"title": "Dialogspørsmål"})[0]
    now = timezone.now()
    return Round.objects.create(
        name="2011", questionnaire=questionnaire, opens_at=now - dt.timedelta(days=10), deadline=now
    )


@pytest.fixture
def submit(survey_round):
    """submit(names, measures=[(key, title, experience)], **answers) -> a submitted report in the round."""

    def make(names, measures=(), **answers):
        report = Report.objects.create(
            round=survey_round, status=Report.Status.SUBMITTED, submitted_at=timezone.now(), **{**GROUP, **answers}
        )
        report.municipalities.set(Municipality.objects.filter(name__in=names))
        if report.hosts_group == "yes":
            ReportGroup.objects.create(report=report, other_name="Demo MC", clubhouse="yes")
        for key, title, experience in measures:
            ReportMeasure.objects.create(
                report=report, stage="activity", measure_key=key, title=title, experience=experience
            )
        return report

    return make


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def keys(proposals):
    return [p.measure.key for p in proposals]


# The rules ----------------------------------------------------------------------------------------------------


def test_a_group_present_ranks_activity_measures_above_recruitment_only(catalogue_measures):
    ranked = keys(advice.advise(Situation(**GROUP)).proposals)
    activity, recruitment = catalogue_measures["activity"].key, catalogue_measures["recruitment"].key
    assert ranked.index(activity) < ranked.index(recruitment)
    # Without a group but with recruitment signs, the school programme comes first.
    quiet = advice.advise(Situation(hosts_group="no", crews="no", recruitment_signs="yes"))
    assert keys(quiet.proposals)[0] == recruitment


def test_every_proposal_says_why_and_the_score_is_the_sum_of_its_reasons(catalogue_measures):
    with translation.override("en"):
        result = advice.advise(Situation(**GROUP))
    assert result.proposals
    for proposal in result.proposals:
        assert proposal.reasons
        assert proposal.score == sum(reason.points for reason in proposal.reasons)
    activity = next(p for p in result.proposals if p.measure == catalogue_measures["activity"])
    texts = [reason.text for reason in activity.reasons]
    assert "A “1 %” group is established in the municipality; this measure hinders its activity." in texts
    assert "The catalogue rates the evidence “Promising”." in texts


def test_harmful_measures_are_never_proposed_but_listed_as_not_recommended(catalogue_measures):
    with translation.override("en"):
        result = advice.advise(Situation(**GROUP))
    harmful = catalogue_measures["harmful"]
    assert harmful.key not in keys(result.proposals)
    entry = next(e for e in result.not_recommended if e.measure == harmful)
    assert "Harmful" in entry.reason


def test_drafts_are_never_part_of_the_advice(catalogue_measures):
    result = advice.advise(Situation(**GROUP))
    everything = keys(result.proposals) + [e.measure.key for e in result.not_recommended]
    assert catalogue_measures["draft"].key not in everything


def test_a_backfire_the_situation_invites_gives_a_warning(catalogue_measures):
    crackdown = catalogue_measures["crackdown"]
    with translation.override("en"):
        with_group = advice.advise(Situation(**GROUP))
        without_group = advice.advise(Situation(hosts_group="no", crews="no", crime_kinds=["narcotics"]))
    proposal = next(p for p in with_group.proposals if p.measure == crackdown)
    assert any("cohesive" in warning for warning in proposal.warnings)
    assert (crackdown, proposal.warnings[0]) in with_group.warnings
    # No group, no cohesion to strengthen: still proposed for the narcotics, without the warning.
    assert next(p for p in without_group.proposals if p.measure == crackdown).warnings == []


def test_displacement_names_neighbours_without_a_group(catalogue_measures, submit):
    submit(["Askøy", "Alver"], hosts_group="no", crews="no", recruitment_signs="no", crime_kinds=[])
    report = submit(["Bergen"])
    with translation.override("en"):
        result = advice.advise(advice.situation_from_report(report))
    proposal = next(p for p in result.proposals if p.measure == catalogue_measures["activity"])
    assert any("neighbouring municipality" in warning for warning in proposal.warnings)


def test_what_worked_is_already_in_use_and_what_did_not_is_lowered(catalogue_measures, submit):
    activity, crackdown = catalogue_measures["activity"], catalogue_measures["crackdown"]
    before = {p.measure.key: p.score for p in advice.advise(Situation(**GROUP)).proposals}
    report = submit(
        ["Bergen"],
        measures=[
            (activity.key, "Vår skjenkekontroll", "worked"),
            ("", "FELLES  razzia", "did_not"),  # no key: matched by name, case and spaces aside
            ("", "Nabovarsel", "too_early"),  # not in the catalogue
        ],
    )
    with translation.override("en"):
        result = advice.advise(advice.situation_from_report(report))
    assert activity.key not in keys(result.proposals)
    in_use = {entry.title: entry for entry in result.already_in_use}
    assert in_use[activity.name].measure == activity
    assert "keep going" in in_use[activity.name].note
    assert in_use["Nabovarsel"].measure is None
    lowered = next(p for p in result.proposals if p.measure == crackdown)
    assert lowered.score == before[crackdown.key] - 4
    assert "The municipality has tried this and says it did not work." in [r.text for r in lowered.reasons]


def test_low_transferability_subtracts(catalogue_measures, editor):
    activity = catalogue_measures["activity"]
    before = next(p.score for p in advice.advise(Situation(**GROUP)).proposals if p.measure == activity)
    catalogue.save_measure(
        editor,
        activity,
        {**{name: getattr(activity, name) for name in catalogue.FIELDS}, "transferability": "low"},
        sources=SOURCES,
        experiences=[],
        reason="Ny vurdering",
    )
    after = next(p.score for p in advice.advise(Situation(**GROUP)).proposals if p.measure == activity)
    assert after == before - 4  # from +2 (high) to -2 (low)


# Who sees what ---------------------------------------------------------------------------------------------------


def advice_url(number="4601"):
    return reverse("measures:advice_for", args=[number])


def test_a_contact_gets_advice_for_their_own_municipality_only(catalogue_measures, submit, clients):
    submit(["Bergen"])
    submit(["Oslo"])
    contact = clients["municipal_contact"]
    response = contact.get(advice_url("4601"))
    assert response.status_code == 200
    assert catalogue_measures["activity"].name in response.content.decode()
    assert contact.get(advice_url("0301")).status_code == 403


@pytest.mark.parametrize("role", ["ks_admin", "ks_adviser", "partner"])
def test_ks_staff_and_mapping_partners_get_advice_for_any_municipality(catalogue_measures, submit, clients, role):
    submit(["Oslo"])
    assert clients[role].get(advice_url("0301")).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(clients):
    for url in (reverse("measures:advice"), advice_url(), reverse("measures:plans")):
        response = clients["anonymous"].get(url)
        assert response.status_code == 302
        assert "/konto/logg-inn/" in response["Location"]


def test_an_unknown_municipality_number_is_404(clients):
    assert clients["municipal_contact"].get(advice_url("9999")).status_code == 404
    assert clients["ks_adviser"].get(advice_url("9999")).status_code == 404


def test_unclear_evidence_never_adds_points(catalogue_measures):
    crackdown = catalogue_measures["crackdown"]
    crackdown.verdict_quality = "strong"
    crackdown.save()
    with translation.override("en"):
        proposal = next(p for p in advice.advise(Situation(**GROUP)).proposals if p.measure == crackdown)
    assert not [r for r in proposal.reasons if r.fact.startswith(("Evidence", "Quality of the evidence"))]
    assert proposal.score == sum(points for _fact, points in proposal.facts)


def test_a_measure_that_worked_lifts_those_with_the_same_mechanism(catalogue_measures):
    crackdown, activity = catalogue_measures["crackdown"], catalogue_measures["activity"]
    activity.mechanisms = ["deterrence", "disruption"]
    activity.save()
    before = next(p for p in advice.advise(Situation(**GROUP)).proposals if p.measure == crackdown)
    tried = [advice.Tried(activity.key, activity.name, "worked")]
    with translation.override("en"):
        after = next(p for p in advice.advise(Situation(**GROUP, tried=tried)).proposals if p.measure == crackdown)
    assert after.score == before.score + 1
    assert (f"Worked here: {activity.name}", 1) in after.facts


def _proposals(page: str) -> list[tuple[str, list[tuple[str, int]], int]]:
    """(measure name, [(fact, points)], score) per proposal, as the page shows them."""
    found = []
    for item in re.findall(r'<li class="proposal".*?</li>\s*(?=<li class="proposal"|</ol>)', page, re.S):
        name = re.search(r"<h3><a [^>]*>(.*?)</a>", item).group(1)
        facts = re.findall(r'<tr><th scope="row">(.*?)</th><td class="num">([+-]\d+)</td></tr>', item)
        score = int(re.search(r'<tfoot><tr><th scope="row">Score</th><td class="num">(-?\d+)', item).group(1))
        found.append((name, [(fact, int(points)) for fact, points in facts], score))
    return found


def test_two_municipalities_get_differently_ordered_and_explained_proposals(catalogue_measures, submit, clients):
    """Through HTTP: Oslo hosts a group, Sarpsborg reports none; each page says which fact gave which points."""
    catalogue_measures["recruitment"].actors = ["municipality", "schools"]
    catalogue_measures["recruitment"].save()
    submit(["Oslo"])
    submit(["Sarpsborg"], hosts_group="no", crews="no", recruitment_signs="no", crime_kinds=[])
    client = english(clients["ks_adviser"])
    oslo = _proposals(client.get(advice_url("0301")).content.decode())
    sarpsborg_number = Municipality.objects.get(name="Sarpsborg").number
    sarpsborg = _proposals(client.get(advice_url(sarpsborg_number)).content.decode())
    assert [name for name, *_ in oslo] != [name for name, *_ in sarpsborg]
    assert oslo[0][0] == catalogue_measures["activity"].name
    assert ("Hosts a “1 %” group: Yes", 4) in oslo[0][1]
    school = next(p for p in sarpsborg if p[0] == catalogue_measures["recruitment"].name)
    assert ("Hosts a “1 %” group: No", 1) in school[1]
    for _name, facts, score in oslo + sarpsborg:
        assert facts and score == sum(points for _fact, points in facts)


def test_the_advice_says_which_report_and_records_the_read(catalogue_measures, submit, clients, users):
    report = submit(["Bergen"])
    response = english(clients["municipal_contact"]).get(advice_url())
    page = response.content.decode()
    assert "round 2011" in page
    assert report.get_absolute_url() in page
    reads = AuditEntry.objects.get_for_object(report).filter(
        action=AuditEntry.Action.ACCESS, actor=users["municipal_contact"]
    )
    assert reads.count() == 1


def test_without_a_report_the_profile_form_is_shown_and_gives_advice(catalogue_measures, clients):
    contact = english(clients["municipal_contact"])
    response = contact.get(advice_url())
    assert "has not submitted a situation report yet" in response.content.decode()
    assert response.context["advice"] is None
    answered = contact.get(advice_url(), {"hosts_group": "yes", "crews": "no", "crime_kinds": ["narcotics"]})
    assert catalogue_measures["activity"].name in answered.content.decode()


def test_what_if_answers_override_the_report(catalogue_measures, submit, clients):
    crackdown = catalogue_measures["crackdown"]
    tried = [("", "Felles razzia", "did_not"), ("", "Nabovarsel", "worked")]
    submit(["Bergen"], hosts_group="no", crews="no", recruitment_signs="no", crime_kinds=[], measures=tried)
    contact = english(clients["municipal_contact"])
    page = contact.get(advice_url())
    assert catalogue_measures["activity"].key not in keys(page.context["advice"].proposals)
    # The form holds the report's answers, tried measures matched by name included.
    assert page.context["form"].initial["tried_did_not"] == [crackdown.key]
    response = contact.get(advice_url(), {"hosts_group": "yes", "crews": "yes", "tried_did_not": [crackdown.key]})
    assert response.context["what_if"]
    result = response.context["advice"]
    assert catalogue_measures["activity"].key in keys(result.proposals)
    # A measure the form cannot list (not in the catalogue) is still in use.
    assert [entry.title for entry in result.already_in_use] == ["Nabovarsel"]


@pytest.mark.parametrize("url", [reverse("measures:advice"), advice_url()])
def test_bad_profile_input_gets_a_message_not_an_error(catalogue_measures, clients, url):
    response = english(clients["municipal_contact"]).get(url, {"crime_kinds": "nonsense", "hosts_group": "maybe"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“nonsense” is not one of the choices." in page
    assert "“maybe” is not one of the choices." in page


def test_the_start_page_offers_own_municipalities_and_profile_advice(catalogue_measures, clients):
    contact = clients["municipal_contact"]
    page = contact.get(reverse("measures:advice")).content.decode()
    assert advice_url("4601") in page and advice_url("3301") in page
    assert 'name="municipality"' not in page  # only those who read every report choose any municipality
    response = contact.get(reverse("measures:advice"), {"hosts_group": "yes"})
    assert catalogue_measures["activity"].key in keys(response.context["advice"].proposals)
    # Answers left out count as "Do not know", and the form shows it (the first option, shown when none is chosen).
    assert response.context["advice"].situation.crews == "unknown"
    assert re.search(r'<select name="crews"[^>]*>\s*<option value="unknown"', response.content.decode())
    staff = clients["ks_adviser"]
    assert 'name="municipality"' in staff.get(reverse("measures:advice")).content.decode()
    assert staff.get(reverse("measures:advice"), {"municipality": "0301"})["Location"] == advice_url("0301")


# Peers -----------------------------------------------------------------------------------------------------------


def test_peers_are_named_for_ks_staff_and_suppressed_for_a_contact(catalogue_measures, submit, users, clients):
    activity = catalogue_measures["activity"]
    submit(["Bergen"])
    submit(["Askøy"], measures=[(activity.key, "Skjenkekontroll", "worked")])
    submit(["Alver"], measures=[("", activity.name.upper(), "did_not")])
    submit(["Osterøy"], measures=[("", "Et lokalt tiltak med navn", "worked")])
    bergen = Municipality.objects.get(name="Bergen")

    full = advice.peers(bergen, users["ks_adviser"])
    neighbours = full.groups[0]
    assert full.full and neighbours.kind == "neighbours" and neighbours.answered == 3
    row = next(r for r in neighbours.rows if r.measure == activity)
    assert (row.count, row.worked, row.did_not) == (2, 1, 1)
    assert [u.municipality.name for u in row.uses] == ["Alver", "Askøy"]

    suppressed = advice.peers(bergen, users["municipal_contact"])
    neighbours = suppressed.groups[0]
    row = next(r for r in neighbours.rows if r.measure == activity)
    assert (row.count, row.worked, row.did_not, row.uses) == (None, None, None, [])
    assert "Et lokalt tiltak med navn" not in [r.title for r in neighbours.rows]

    staff_page = clients["ks_adviser"].get(advice_url()).content.decode()
    assert "Askøy" in staff_page and "Alver" in staff_page
    contact_page = english(clients["municipal_contact"]).get(advice_url()).content.decode()
    assert "Askøy" not in contact_page and "Alver" not in contact_page
    assert "fewer than 3" in contact_page
    assert "Et lokalt tiltak med navn" not in contact_page


def test_three_peers_make_a_figure_a_contact_may_see(catalogue_measures, submit, users):
    activity = catalogue_measures["activity"]
    submit(["Bergen"])
    for name in ("Askøy", "Alver", "Osterøy"):
        submit([name], measures=[(activity.key, "Skjenkekontroll", "worked")])
    result = advice.peers(Municipality.objects.get(name="Bergen"), users["municipal_contact"])
    row = next(r for r in result.groups[0].rows if r.measure == activity)
    assert (row.count, row.worked) == (3, 3)
    # Bergen's answers (a group, crews, recruitment) are also those of the three neighbours.
    assert result.groups[1].kind == "similar" and result.groups[1].answered == 3


def test_what_worked_for_two_neighbours_is_not_five_minus_zero_minus_three(catalogue_measures, submit, clients):
    activity = catalogue_measures["activity"]
    for name, experience in zip(
        ("Askøy", "Alver", "Osterøy", "Øygarden", "Vaksdal"), ("worked",) * 2 + ("too_early",) * 3, strict=True
    ):
        submit([name], measures=[(activity.key, "Skjenkekontroll", experience)])
    response = english(clients["municipal_contact"]).get(advice_url())
    [neighbours, _similar] = response.context["peers"].groups
    row = next(r for r in neighbours.rows if r.measure == activity)
    assert row.figures == [(5, ""), (None, "primary"), (None, "primary"), (3, "")]  # the 0 is hidden beside the 2
    html = response.content.decode()
    cells = html[html.index(f'<a href="{activity.get_absolute_url()}">{activity.name}</a>') :].split("</tr>")[0]
    assert cells.count("fewer than 3") == 2 and '<td class="num">5</td>' in cells


def test_seven_of_eight_neighbours_answering_does_not_tell_that_one_did_not(catalogue_measures, submit, clients):
    submit(["Samnanger", "Bjørnafjorden", "Austevoll", "Øygarden", "Askøy", "Vaksdal", "Osterøy"])
    response = english(clients["municipal_contact"]).get(advice_url())
    neighbours = response.context["peers"].groups[0]
    assert (neighbours.size, neighbours.answered, neighbours.answered_hidden) == (8, None, "secondary")
    assert "hidden to protect a small number (of 8)" in response.content.decode()
    staff = english(clients["ks_adviser"]).get(advice_url()).context["peers"].groups[0]
    assert staff.answered == 7


# Plans -----------------------------------------------------------------------------------------------------------


def save_url(number="4601"):
    return reverse("measures:plan_save", args=[number])


def test_a_plan_keeps_the_reasons_it_was_saved_with(catalogue_measures, submit, clients, editor):
    submit(["Bergen"])
    activity = catalogue_measures["activity"]
    contact = english(clients["municipal_contact"])
    page = contact.get(advice_url())
    proposal = next(p for p in page.context["advice"].proposals if p.measure == activity)
    response = contact.post(save_url(), {"measures": [activity.key], "title": "Plan 2026", "notes": "Oppfølging i mai"})
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    item = plan.items.get()
    assert item.reasons == [str(reason) for reason in proposal.reasons]
    assert plan.situation["source"] == "report" and plan.situation["round"] == "2011"
    assert plan.situation["proposals"][activity.key]["warnings"] == proposal.warnings
    # A later change in the catalogue does not rewrite the plan.
    catalogue.save_measure(
        editor,
        activity,
        {**{name: getattr(activity, name) for name in catalogue.FIELDS}, "transferability": "low"},
        sources=SOURCES,
        experiences=[],
        reason="Ny vurdering",
    )
    item.refresh_from_db()
    assert item.reasons == [str(reason) for reason in proposal.reasons]
    detail = contact.get(plan.get_absolute_url())
    assert detail.status_code == 200
    assert str(proposal.reasons[0]) in detail.content.decode()


def test_a_what_if_plan_is_saved_from_the_answers_shown(catalogue_measures, submit, clients):
    submit(["Bergen"], hosts_group="no", crews="no", recruitment_signs="no", crime_kinds=[])
    activity = catalogue_measures["activity"]
    contact = clients["municipal_contact"]
    what_if = {"hosts_group": "yes", "crews": "yes"}
    page = contact.get(advice_url(), what_if).content.decode()
    assert 'type="hidden" name="hosts_group" value="yes"' in page
    response = contact.post(save_url(), {**what_if, "measures": [activity.key], "title": "Hva om"})
    assert response.status_code == 302
    plan = Plan.objects.get()
    # Its answers started from the report's: the plan is marked as built on the report.
    assert (plan.situation["source"], plan.situation["round"]) == ("profile", "2011")


def test_a_plan_without_measures_or_title_comes_back_with_messages(catalogue_measures, submit, clients):
    submit(["Bergen"])
    response = english(clients["municipal_contact"]).post(save_url(), {"title": "", "notes": "Skrevet inn"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose at least one measure for the plan." in page
    assert "Skrevet inn" in page  # nothing typed is lost
    assert not Plan.objects.exists()


def test_a_measure_not_proposed_cannot_be_put_in_a_plan(catalogue_measures, submit, clients):
    submit(["Bergen"])
    response = english(clients["municipal_contact"]).post(
        save_url(), {"measures": [catalogue_measures["harmful"].key], "title": "X"}
    )
    assert response.status_code == 200
    assert "is not among the proposals" in response.content.decode()
    assert not Plan.objects.exists()


def test_who_may_save_a_plan(catalogue_measures, submit, clients):
    submit(["Bergen"])
    submit(["Oslo"])
    data = {"measures": [catalogue_measures["activity"].key], "title": "Plan"}
    assert clients["municipal_contact"].post(save_url("0301"), data).status_code == 403
    assert clients["partner"].post(save_url("4601"), data).status_code == 403  # reads reports, plans nothing
    assert clients["ks_adviser"].post(save_url("0301"), data).status_code == 302
    assert clients["anonymous"].post(save_url("4601"), data).status_code == 302
    assert Plan.objects.get().municipality.name == "Oslo"


def test_plans_are_seen_by_their_municipality_ks_staff_and_mapping_partners(catalogue_measures, submit, users, clients):
    situation = Situation(**GROUP)
    key = [catalogue_measures["activity"].key]
    bergen = plans.save_plan(users["ks_adviser"], Municipality.objects.get(name="Bergen"), situation, key, "B", "")
    oslo = plans.save_plan(users["ks_adviser"], Municipality.objects.get(name="Oslo"), situation, key, "O", "")
    listed = clients["municipal_contact"].get(reverse("measures:plans")).context["plans"]
    assert list(listed) == [bergen]
    assert set(clients["partner"].get(reverse("measures:plans")).context["plans"]) == {bergen, oslo}
    assert clients["municipal_contact"].get(oslo.get_absolute_url()).status_code == 403
    assert clients["municipal_contact"].get(reverse("measures:plan_pdf", args=[oslo.pk])).status_code == 403
    assert clients["ks_admin"].get(oslo.get_absolute_url()).status_code == 200
    other_partner = logged_in_client(make_user(Role.PARTNER, "events_partner", partner_areas=[Area.EVENTS]))
    assert other_partner.get(bergen.get_absolute_url()).status_code == 403


def test_the_plan_pdf_names_the_municipality_and_the_measures(catalogue_measures, submit, clients, tmp_path):
    report = submit(["Bergen"])
    situation = advice.situation_from_report(report)
    plan = plans.save_plan(
        Municipality.objects.get(name="Bergen").contacts.get(),
        Municipality.objects.get(name="Bergen"),
        situation,
        [catalogue_measures["activity"].key, catalogue_measures["crackdown"].key],
        "Tiltaksplan 2026",
        "",
    )
    response = clients["municipal_contact"].get(reverse("measures:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Bergen" in text
    assert "Skjenkekontroll på klubbhus" in text and "Felles razzia" in text
    assert "http://testserver/tiltak/" in text
    assert "merinnsyn" in text and "24 andre ledd" not in text  # core's legal text for what is built on a report


def test_a_plans_title_and_notes_refuse_disguised_identity_numbers_and_an_invisible_title(
    catalogue_measures, submit, clients
):
    submit(["Bergen"])
    key = catalogue_measures["activity"].key
    contact = clients["municipal_contact"]
    for disguise in IDENTITY_NUMBER_DISGUISES:
        for data in ({"title": f"Plan {disguise}", "notes": ""}, {"title": "Plan", "notes": f"Ansvarlig {disguise}"}):
            response = contact.post(save_url(), {"measures": [key], **data})
            assert response.status_code == 200 and SCREENING_REFUSAL in response.content.decode(), data
    for title in INVISIBLE_NAMES:
        response = contact.post(save_url(), {"measures": [key], "title": title, "notes": ""})
        assert response.status_code == 200 and "title" in response.context["plan_form"].errors, repr(title)
    assert not Plan.objects.exists()
    contact.post(save_url(), {"measures": [key], "title": "Plan for Ba\u030arum", "notes": "A\u030asane"})
    assert Plan.objects.filter(title="Plan for Bårum", notes="Åsane").exists()


def test_the_plan_service_screens_and_wants_a_visible_title_whoever_calls_it(catalogue_measures, users):
    bergen, key = Municipality.objects.get(name="Bergen"), catalogue_measures["activity"].key
    for title, notes in [("\u200b", ""), ("Plan", "1505\u200b9010023")]:
        with translation.override("en"), pytest.raises(plans.PlanError) as refused:
            plans.save_plan(users["municipal_contact"], bergen, Situation(**GROUP), [key], title, notes)
        assert "title" in refused.value.messages[0] or "identity number" in refused.value.messages[0]
    assert not Plan.objects.exists()


def test_the_advice_page_costs_the_same_queries_for_a_larger_catalogue(
    catalogue_measures, make_measure, submit, clients
):
    """Every proposal and every measure in the profile's lists comes from the page's own queries, not one per measure
    (bench/load.py opens the page under load)."""
    submit(["Bergen"], measures=[(catalogue_measures["recruitment"].key, "Skoleprogram", "worked")])
    contact = clients["municipal_contact"]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = contact.get(advice_url("4601"))
        assert page.status_code == 200
        return len(captured), page.content.decode()

    few, _page = queries()
    for number in range(12):
        make_measure(name=f"Nabolagstiltak nummer {number}", stages=["activity"], mechanisms=["deterrence"])
    many, page = queries()
    assert "Nabolagstiltak nummer 11" in page
    assert many == few
