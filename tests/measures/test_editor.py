"""The editor over HTTP: creating and editing measures, conflicts, bad input, and the workflow's buttons."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tests.conftest import logged_in_client, make_user
from trygg.core.models import Role
from trygg.measures.models import Measure
from trygg.measures.views.editor import status_context

from .conftest import PUBLISHABLE

CREATE = reverse("measures:create")


def edit_url(measure):
    return reverse("measures:edit", kwargs={"key": measure.key})


def status_url(measure):
    return reverse("measures:status", kwargs={"key": measure.key})


def english(user):
    client = logged_in_client(user)
    client.cookies["django_language"] = "en"
    return client


def post_data(
    revision=None, experiences=(), sources="Bjørgo (2017) | https://doi.org/10.1007/s12117-017-9322-7", **fields
):
    """The form as a browser posts it: the publishable measure, its sources as lines, experiences plus 2 blank rows."""
    data = {**PUBLISHABLE, "sources": sources, "reason": "Første utkast", **fields}
    if revision is not None:
        data["revision"] = revision
    rows = [*experiences, {}, {}]
    data.update(
        {
            "experiences-TOTAL_FORMS": len(rows),
            "experiences-INITIAL_FORMS": 0,
            "experiences-MIN_NUM_FORMS": 0,
            "experiences-MAX_NUM_FORMS": 1000,
        }
    )
    for number, row in enumerate(rows):
        for name in ("country", "place", "period", "outcome", "source"):
            data[f"experiences-{number}-{name}"] = row.get(name, "")
        if row.get("DELETE"):
            data[f"experiences-{number}-DELETE"] = "on"
    return data


def texts(client, response) -> list[str]:
    """The messages a redirect leaves, as the page it leads to shows them (which also clears them)."""
    assert response.status_code == 302
    return [str(message) for message in client.get(response.url).context["messages"]]


@pytest.fixture
def adviser(editor):
    return english(editor)


@pytest.fixture
def partner(measures_partner):
    return english(measures_partner)


def test_a_ks_adviser_creates_a_draft_with_version_1_and_the_reason(adviser, editor):
    experience = {"country": "Norge", "place": "Drammen", "period": "2010–2012", "outcome": "Færre fester."}
    response = adviser.post(CREATE, post_data(experiences=[experience], reason="Fra studieturen"))
    measure = Measure.objects.get(name=PUBLISHABLE["name"])
    assert response.status_code == 302
    assert response.url == reverse("measures:measure", kwargs={"key": measure.key})
    assert texts(adviser, response) == ["The measure was saved as a draft."]
    assert (measure.status, measure.revision, measure.mechanisms, measure.effect) == (
        "draft",
        1,
        ["deterrence", "rewards"],
        3,
    )
    version = measure.versions.get()
    assert (version.revision, version.reason, version.changed_by) == (1, "Fra studieturen", editor)
    assert [(s.reference, s.url) for s in measure.sources.all()] == [
        ("Bjørgo (2017)", "https://doi.org/10.1007/s12117-017-9322-7")
    ]
    assert [(e.country, e.place, e.outcome) for e in measure.experiences.all()] == [
        ("Norge", "Drammen", "Færre fester.")
    ]


def test_the_edit_form_shows_the_stored_measure_with_two_empty_rows(adviser, make_measure):
    measure = make_measure()
    response = adviser.get(edit_url(measure))
    assert response.status_code == 200
    form, experiences = response.context["form"], response.context["experiences"]
    assert form["revision"].value() == measure.revision
    assert (
        form["sources"].value()
        == "Bjørgo, T. (2017). Preventing organised crime originating from outlaw motorcycle clubs."
    )
    assert len(experiences.forms) == 1 + 2
    assert 'name="mechanisms" value="deterrence"' in response.content.decode()


def test_a_measures_partner_creates_and_edits_but_may_not_publish(partner, make_measure):
    assert partner.get(CREATE).status_code == 200
    response = partner.post(CREATE, post_data(name="Partnerens tiltak"))
    assert texts(partner, response) == ["The measure was saved as a draft."]
    measure = Measure.objects.get(name="Partnerens tiltak")
    response = partner.post(edit_url(measure), post_data(revision=1, name="Partnerens tiltak", summary="Ny"))
    assert texts(partner, response) == ["Your changes were saved."]
    response = partner.post(status_url(measure), {"status": "review", "revision": 2, "reason": "Klar"})
    assert texts(partner, response) == ["The measure was sent to review."]
    response = partner.post(status_url(measure), {"status": "published", "revision": 3, "reason": "Ut"})
    assert response.status_code == 302
    assert texts(partner, response) == ["Only KS staff can publish or withdraw a measure."]
    measure.refresh_from_db()
    assert (measure.status, measure.summary) == ("review", "Ny")


def test_the_workflow_buttons_follow_the_users_rights(editor, measures_partner, make_measure):
    measure = make_measure(status="review")
    ks = status_context(editor, measure)
    assert [value for value, _label, _needs in ks["transitions"]] == ["draft", "published"]
    assert ks["publish_problems"] == []
    mine = status_context(measures_partner, measure)
    assert [value for value, _label, _needs in mine["transitions"]] == ["draft"]
    assert len(mine["publisher_only"]) == 1
    contact = make_user(Role.MUNICIPAL_CONTACT, username="contact")
    assert status_context(contact, measure)["transitions"] == []


@pytest.mark.parametrize("role", ["anonymous", "municipal_contact", "partner"])
def test_who_may_not_edit_is_sent_to_login_or_refused(clients, role, make_measure):
    measure = make_measure()
    draft = make_measure(status="draft", name="Et utkast")
    client = clients[role]
    requests = [
        client.get(CREATE),
        client.post(CREATE, post_data(name="Smuglet")),
        client.get(edit_url(measure)),
        client.post(edit_url(measure), post_data(revision=measure.revision, summary="Smuglet")),
        client.post(status_url(measure), {"status": "draft", "revision": measure.revision, "reason": "x"}),
    ]
    if role == "anonymous":
        assert all(r.status_code == 302 and r.url.startswith(reverse("core:login")) for r in requests)
    else:
        assert [r.status_code for r in requests] == [403] * 5
        # A draft is not known to them at all.
        assert client.get(edit_url(draft)).status_code == 404
    assert not Measure.objects.filter(name="Smuglet").exists()
    measure.refresh_from_db()
    assert (measure.summary, measure.status) == (PUBLISHABLE["summary"], "published")


def test_two_editors_on_the_same_revision_the_second_keeps_what_they_typed(adviser, partner, make_measure):
    measure = make_measure(status="draft")
    first = adviser.get(edit_url(measure)).context["form"]["revision"].value()
    second = partner.get(edit_url(measure)).context["form"]["revision"].value()
    assert first == second == 1
    assert adviser.post(edit_url(measure), post_data(revision=first, summary="Først lagret")).status_code == 302

    response = partner.post(edit_url(measure), post_data(revision=second, summary="Mitt forslag", legal_basis="Ny lov"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this measure while you were editing it." in page
    assert "Mitt forslag" in page
    assert response.context["form"]["summary"].value() == "Mitt forslag"
    assert ("summary", "Først lagret", "Mitt forslag") in response.context["differences"]
    assert ("legal basis", PUBLISHABLE["legal_basis"], "Ny lov") in response.context["differences"]
    measure.refresh_from_db()
    assert (measure.summary, measure.revision) == ("Først lagret", 2)

    # Having seen the stored version, saving again replaces it on purpose; the other save stays in the history.
    again = response.context["form"]["revision"].value()
    assert partner.post(edit_url(measure), post_data(revision=again, summary="Mitt forslag")).status_code == 302
    measure.refresh_from_db()
    assert (measure.summary, measure.versions.count()) == ("Mitt forslag", 3)


def test_html_in_a_markdown_field_is_an_error_naming_the_tags_and_nothing_is_saved(adviser):
    response = adviser.post(CREATE, post_data(description="Bra <script>alert(1)</script> og <b>fet</b>"))
    assert response.status_code == 200
    errors = response.context["form"].errors["description"]
    assert errors == [
        "HTML is not allowed here (<script>, </script>, <b>, </b>). Write plain text or Markdown instead."
    ]
    assert "Bra &lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    assert not Measure.objects.exists()


def test_sources_are_one_a_line_with_an_optional_address(adviser):
    lines = "Brå 2016:6 | https://bra.se/rapport\n\n  Rostami og Mondani 2017  \nBrå 2016:6 | https://bra.se/rapport\n"
    assert adviser.post(CREATE, post_data(sources=lines)).status_code == 302
    measure = Measure.objects.get()
    assert sorted((s.reference, s.url) for s in measure.sources.all()) == [
        ("Brå 2016:6", "https://bra.se/rapport"),
        ("Rostami og Mondani 2017", ""),
    ]


def test_a_bad_address_names_its_line_and_nothing_is_saved(adviser):
    response = adviser.post(CREATE, post_data(sources="Brå 2016:6\nKlement 2014 | bra.se rapport\n| https://a.no"))
    assert response.status_code == 200
    assert response.context["form"].errors["sources"] == [
        "Line 2: “bra.se rapport” is not a web address. Write it in full, starting with https://.",
        "Line 3: write the reference before the “|”.",
    ]
    assert "Klement 2014 | bra.se rapport" in response.content.decode()
    assert not Measure.objects.exists()


def test_experiences_ignore_blank_rows_and_removed_ones_and_require_country_and_outcome(adviser, make_measure):
    measure = make_measure(status="draft")
    rows = [
        {"country": "Danmark", "place": "Aarhus", "outcome": "Gruppen kom tilbake.", "source": "Bjørgo (2017)"},
        {"country": "Norge", "outcome": "Fjernes.", "DELETE": True},
        {"country": "Sverige", "period": "2016", "outcome": "Ujevn støtte."},
    ]
    response = adviser.post(edit_url(measure), post_data(revision=1, experiences=rows))
    assert response.status_code == 302
    stored = [(e.country, e.place, e.source.reference if e.source else "") for e in measure.experiences.all()]
    assert stored == [("Danmark", "Aarhus", "Bjørgo (2017)"), ("Sverige", "", "")]

    response = adviser.post(edit_url(measure), post_data(revision=2, experiences=[{"place": "Odense"}]))
    assert response.status_code == 200
    errors = response.context["experiences"].errors[0]
    assert errors == {"country": ["Say which country it was tried in."], "outcome": ["Say what happened."]}
    assert measure.experiences.count() == 2


def test_forged_values_outside_the_scales_are_messages_not_errors(adviser):
    data = post_data(verdict="brilliant", effect="9", mechanisms=["magic", "deterrence"], transferability="total")
    response = adviser.post(CREATE, data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"verdict", "effect", "mechanisms", "transferability"}
    assert 'href="#id_mechanisms_0"' in response.content.decode()
    del data["experiences-TOTAL_FORMS"]
    assert adviser.post(CREATE, data).status_code == 200
    assert not Measure.objects.exists()


def test_an_edit_without_the_revision_it_was_loaded_at_is_refused(adviser, make_measure):
    measure = make_measure(status="draft")
    response = adviser.post(edit_url(measure), post_data(summary="Uten revisjon"))
    assert response.status_code == 200
    assert "The form was incomplete." in response.content.decode()
    measure.refresh_from_db()
    assert measure.summary == PUBLISHABLE["summary"]


def test_the_whole_workflow_by_post(adviser, make_measure):
    measure = make_measure(status="draft")
    response = adviser.post(status_url(measure), {"status": "review", "revision": 1, "reason": "Klar til lesing"})
    assert response.url == measure.get_absolute_url()
    assert texts(adviser, response) == ["The measure was sent to review."]
    response = adviser.post(status_url(measure), {"status": "published", "revision": 2, "reason": "Godkjent"})
    assert texts(adviser, response) == [
        "The measure cannot be published yet:",
        "At least one source must be checked against the original before the measure can be published.",
    ]
    source = measure.sources.get()
    response = adviser.post(reverse("measures:source_check", args=[source.pk]))
    assert texts(adviser, response) == ["The source is marked as checked against the original."]
    response = adviser.post(status_url(measure), {"status": "published", "revision": 2, "reason": "Godkjent"})
    assert texts(adviser, response) == ["The measure is published and visible to everyone."]
    measure.refresh_from_db()
    assert (measure.status, measure.revision) == ("published", 3)
    assert [v.reason for v in measure.versions.order_by("revision")] == ["Første utkast", "Klar til lesing", "Godkjent"]


def test_publishing_without_a_source_is_refused_with_the_reason(adviser, make_measure):
    measure = make_measure(status="review", sources=[])
    response = adviser.post(status_url(measure), {"status": "published", "revision": 2, "reason": "Ut"})
    assert texts(adviser, response) == [
        "The measure cannot be published yet:",
        "A verdict without a source cannot be published. Add at least one source.",
    ]
    assert status_context(measure.versions.first().changed_by, measure)["publish_problems"] == [
        "A verdict without a source cannot be published. Add at least one source."
    ]
    measure.refresh_from_db()
    assert measure.status == "review"


def test_withdrawing_makes_it_a_draft_again(adviser, make_measure):
    measure = make_measure()
    response = adviser.post(status_url(measure), {"status": "draft", "revision": 3, "reason": "Utdatert"})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == "draft"


def test_a_status_move_needs_a_reason_a_known_status_and_the_current_revision(adviser, make_measure):
    measure = make_measure(status="draft")
    assert texts(adviser, adviser.post(status_url(measure), {"status": "review", "revision": 1, "reason": " "})) == [
        "Say briefly why you made the change."
    ]
    assert texts(adviser, adviser.post(status_url(measure), {"status": "gone", "revision": 1, "reason": "x"})) == [
        "The page was out of date. Look at the measure again and try once more."
    ]
    assert texts(adviser, adviser.post(status_url(measure), {"status": "published", "revision": 1, "reason": "x"})) == [
        "A measure cannot go from “Draft” to “Published”."
    ]
    assert texts(adviser, adviser.post(status_url(measure), {"status": "review", "revision": 7, "reason": "x"})) == [
        "Someone else changed this measure in the meantime. Look at it again first."
    ]
    assert adviser.get(status_url(measure)).status_code == 405
    measure.refresh_from_db()
    assert (measure.status, measure.revision) == ("draft", 1)


def test_a_published_measure_keeps_its_rules_when_edited(adviser, make_measure):
    measure = make_measure()
    response = adviser.post(edit_url(measure), post_data(revision=3, sources=""))
    assert response.status_code == 200
    assert "The measure is published, so it must still meet the rules:" in response.context["problems"]
    assert measure.sources.count() == 1


def test_the_workflow_partial_shows_the_moves_and_what_stops_publishing(editor, measures_partner, make_measure, rf):
    measure = make_measure(status="review", sources=[])
    request = rf.get("/")
    request.user = editor
    with translation.override("en"):
        mine = render_to_string("measures/_status_form.html", status_context(editor, measure), request)
        theirs = render_to_string("measures/_status_form.html", status_context(measures_partner, measure), request)
    assert 'name="status" value="published"' in mine
    assert "A verdict without a source cannot be published." in mine
    assert f'action="{status_url(measure)}"' in mine
    assert 'value="published"' not in theirs
    assert "Only KS staff can do this: Publish." in theirs
