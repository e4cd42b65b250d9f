"""The editorial review of November 2026, applied: the corrected catalogue, how the corrections reach a database
that already holds the old one (as proposals an editor decides on, never as overwrites), sources as checked
records with APA 7 citations and exports, and one legal text for situation reports everywhere it is shown."""

import io
import json
import tomllib

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.conftest import logged_in_client
from trygg.core import legal
from trygg.measures import catalogue, citations, guide, starter
from trygg.measures.models import Chapter, Edition, Measure, MeasureVersion, Proposal, Source, Verdict

BEFORE = starter.DIRECTORY / "before-review-2026-11"
CURRENT = tomllib.loads((starter.DIRECTORY / "measures.toml").read_text(encoding="utf-8"))
CHAPTERS = (starter.DIRECTORY / "chapters.toml").read_text(encoding="utf-8")


def english(client):
    client.cookies["django_language"] = "en"
    return client


def messages_of(client, response) -> list[str]:
    return [str(m) for m in client.get(response.url).context["messages"]]


# The corrected files -------------------------------------------------------------------------------------------


def measure(key: str) -> dict:
    return next(entry for entry in CURRENT["measures"] if entry["key"] == key)


def test_the_ratings_go_no_further_than_the_catalogues_own_scale():
    for key in ("exitprogram", "administrativ-tilnaerming", "ensartede-innstramminger"):
        assert measure(key)["verdict"] == Verdict.INCONCLUSIVE, key
        assert "redaksjonelle gjennomgangen" in measure(key)["verdict_reason"], key
    assert "effect" not in measure("exitprogram") and "effect" not in measure("klubbhusforbud")
    assert "cohesion" in measure("ensartede-innstramminger")["backfires"]
    assert "hennigan2013" in measure("ensartede-innstramminger")["sources"]


def test_the_gaps_the_review_names_are_filled_with_sources():
    focused = measure("fokusert-avskrekking")
    assert focused["sources"] == ["braga2018", "braga2019"]
    assert CURRENT["sources"]["braga2019"]["doi"] == "10.1002/cl2.1051"
    assert measure("forbud-mot-klubbfarger")["sources"] == ["rygmaerker1996", "wodc2025"]
    administrative = measure("administrativ-tilnaerming")
    assert "bibob" in administrative["sources"] and "Wet Bibob" in administrative["description"]
    for key in ("informasjonsdeling", "situasjonskartlegging", "al-capone-samarbeid"):
        assert "personopplysningsloven" in measure(key)["sources"], key
        assert "artikkel 10" in measure(key)["legal_basis"], key


def test_wrong_and_unconfirmed_references_figures_and_sections_are_gone():
    text = (starter.DIRECTORY / "measures.toml").read_text(encoding="utf-8") + CHAPTERS
    body = text[text.index("# Tiltak ---") :]
    for wrong in (
        "24 andre ledd",
        "42 tiltaler",
        "811 medlemmer",
        "3,5 år",
        "om lag 550",
        "barneverntjenesten",
        "verktøyskrinet",
        "Sabotere",
        "NAV",
        "eltilsynet",
        "500 meter",
        "2011–2015",
        "deltakelse i organisert kriminell gruppe",
    ):
        assert wrong not in body, wrong
    assert " skatteetaten" not in body
    sources = CURRENT["sources"]
    assert sources["wodc2025"]["year"] == 2025 and sources["pod2010"]["year"] == 2010
    assert sources["rostami2019"]["title"].startswith("Organizing on two wheels")
    assert sources["larsson2018"]["title"] == "Policing bikers: Confrontation or dialogue?"
    assert sources["rockerloven"]["title"] == "Lov om forbud mod ophold i bestemte ejendomme"
    assert "§ 78 stk. 1" in measure("foreningsopplosning")["legal_basis"]
    assert "rigspolitiet2021" in measure("exitprogram")["sources"] and "enveiud2016" not in sources


def test_mechanism_four_is_named_as_bjorgo_names_it_and_the_order_cites_phs():
    assert "4. **Avverging.**" in CHAPTERS
    assert "rekkefølgen Politihøgskolen bruker" in CHAPTERS


# Corrections reach an existing database as proposals ------------------------------------------------------------


@pytest.fixture
def old_catalogue(db):
    """A site that loaded the starter content before the review."""
    starter.load(None, BEFORE)
    return {m.key: m for m in Measure.objects.all()}


def test_loading_the_corrected_files_proposes_and_never_overwrites(old_catalogue, editor):
    exit_programme = old_catalogue["exitprogram"]
    catalogue.save_measure(
        editor,
        exit_programme,
        {**catalogue.snapshot(exit_programme), "transferability_reason": "Redaktørens egen vurdering."},
        sources=catalogue.snapshot(exit_programme)["sources"],
        experiences=catalogue.snapshot(exit_programme)["experiences"],
        reason="Egen vurdering",
        revision=exit_programme.revision,
    )
    versions = MeasureVersion.objects.count()
    out = io.StringIO()
    call_command("load_measures", stdout=out)

    assert "Rettelser foreslått til gjennomgang: 39" in out.getvalue()
    exit_programme.refresh_from_db()
    assert (exit_programme.verdict, exit_programme.effect) == (Verdict.PROMISING, 3)  # untouched until accepted
    assert exit_programme.transferability_reason == "Redaktørens egen vurdering."
    # The two new measures are published at once; every other change waits.
    assert (
        Measure.objects.filter(key__in=["fokusert-avskrekking", "forbud-mot-klubbfarger"], status="published").count()
        == 2
    )
    assert MeasureVersion.objects.count() == versions + 2 * 3
    proposal = Proposal.objects.get(measure=exit_programme, status=Proposal.Status.OPEN)
    assert proposal.data["verdict"] == Verdict.INCONCLUSIVE and proposal.data["effect"] is None
    assert "transferability_reason" in proposal.data  # the file changed it, so it is proposed, for the editor to judge
    assert Proposal.objects.filter(chapter__slug="bjorgos-forebyggingsmodell", status="open").exists()

    proposals = Proposal.objects.count()
    call_command("load_measures", stdout=io.StringIO())
    assert Proposal.objects.count() == proposals  # unchanged files propose nothing new


def test_an_editor_accepts_a_correction_as_a_new_version_and_rejects_another(old_catalogue, users, clients):
    call_command("load_measures", stdout=io.StringIO())
    admin = english(clients["ks_admin"])
    proposal = Proposal.objects.get(measure__key="ensartede-innstramminger", status="open")
    page = admin.get(reverse("measures:proposal", args=[proposal.pk])).content.decode()
    assert "Inconclusive" in page and "Harmful / backfires" in page and "Accept as a new version" in page
    assert (
        "A proposed correction to this measure waits for review."
        in admin.get(reverse("measures:measure", args=["ensartede-innstramminger"])).content.decode()
    )

    target = proposal.measure
    stale = target.revision - 1
    response = admin.post(
        reverse("measures:proposal_decide", args=[proposal.pk]), {"decision": "accept", "revision": stale}
    )
    assert messages_of(admin, response) == [
        "Someone else saved this measure while you were editing it. Your changes were not saved."
    ]
    response = admin.post(
        reverse("measures:proposal_decide", args=[proposal.pk]), {"decision": "accept", "revision": target.revision}
    )
    assert messages_of(admin, response) == ["The correction is saved as a new version."]
    target.refresh_from_db()
    assert target.verdict == Verdict.INCONCLUSIVE and target.status == Measure.Status.PUBLISHED
    latest = target.versions.order_by("-revision").first()
    assert latest.reason == CURRENT["revision_note"] and latest.changed_by == users["ks_admin"]
    assert sorted(s.key for s in target.sources.all()) == ["bjorgo2017", "bra2016", "hennigan2013", "rostami2019"]

    other = Proposal.objects.filter(chapter__isnull=False, status="open").first()
    body = other.chapter.body
    response = admin.post(reverse("measures:proposal_decide", args=[other.pk]), {"decision": "reject"})
    assert messages_of(admin, response) == ["The correction was rejected; nothing was changed."]
    assert Chapter.objects.get(pk=other.chapter_id).body == body
    response = admin.post(reverse("measures:proposal_decide", args=[other.pk]), {"decision": "reject"})
    assert messages_of(admin, response) == ["Someone has already decided on this proposal."]


def test_only_ks_staff_decide_on_corrections(old_catalogue, clients, measures_partner):
    call_command("load_measures", stdout=io.StringIO())
    proposal = Proposal.objects.filter(status="open").first()
    partner = english(logged_in_client(measures_partner))
    assert (
        "Only KS staff accept or reject corrections."
        in partner.get(reverse("measures:proposal", args=[proposal.pk])).content.decode()
    )
    decide = reverse("measures:proposal_decide", args=[proposal.pk])
    assert partner.post(decide, {"decision": "accept", "revision": 1}).status_code == 403
    assert clients["municipal_contact"].get(reverse("measures:proposals")).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.OPEN


# Sources as records ---------------------------------------------------------------------------------------------


def test_citations_follow_apa_7():
    sources = CURRENT["sources"]
    assert citations.cite(sources["rostami2019"]) == (
        "Rostami, A., & Mondani, H. (2019). Organizing on two wheels: Uncovering the organizational patterns of "
        "Hells Angels MC in Sweden. Trends in Organized Crime, 22, 34–50 (publisert på nett 2017)."
    )
    assert citations.link(sources["rostami2019"]) == "https://doi.org/10.1007/s12117-017-9310-y"
    assert [p for p in citations.parts(sources["rostami2019"]) if p.em] == [
        citations.Part("Trends in Organized Crime", em=True)
    ]
    assert (
        citations.cite(sources["bjorgo2015"]) == "Bjørgo, T. (2015). Forebygging av kriminalitet. Universitetsforlaget."
    )
    assert citations.cite(sources["phs"]).startswith("Politihøgskolen. (u.å.). Crime prevention knowledge base.")
    assert citations.cite(sources["pbl"]).endswith("(2008). LOV-2008-06-27-71.")
    assert citations.cite({"reference": "Gammel kilde", "year": 2011}) == "Gammel kilde (2011)"
    # An edition frozen before sources were records says nothing about checking; a stored source always does.
    assert citations.shown({"number": 1, "reference": "Gammel kilde", "url": "", "year": 2011})["checked"] is None
    assert citations.shown({**sources["handbook"], "checked_at": None})["checked"] is False


@pytest.fixture
def current_catalogue(db):
    call_command("load_measures", stdout=io.StringIO())


def test_the_loaded_sources_are_records_and_only_checked_ones_say_so(current_catalogue):
    braga = Source.objects.get(key="braga2019")
    assert (braga.kind, braga.year, braga.doi, braga.authors[0]) == (
        "article",
        2019,
        "10.1002/cl2.1051",
        "Braga, A. A.",
    )
    assert braga.reference == citations.cite(CURRENT["sources"]["braga2019"])
    assert braga.checked and braga.checked_by
    handbook = Source.objects.get(key="handbook")
    assert not handbook.checked and "Utgiver" in handbook.note
    for measure in Measure.objects.filter(status="published"):
        assert any(source.checked for source in measure.sources.all()), measure.key


def test_unchecked_sources_are_shown_as_such_and_ks_can_check_them(current_catalogue, clients):
    public = english(clients["anonymous"])
    page = public.get(reverse("measures:measure", args=["exitprogram"])).content.decode()
    assert "Not checked against the original" in page  # the handbook and the press release
    assert "<em>Exit-forløb med rockere og bandemedlemmer." in page  # APA: a report's title in italics
    admin = english(clients["ks_admin"])
    handbook = Source.objects.get(key="handbook")
    listing = admin.get(reverse("measures:sources")).content.decode()
    assert listing.index(handbook.reference[:40]) < listing.index("Bjørgo, T. (2017)")  # unchecked first
    response = admin.post(reverse("measures:source_check", args=[handbook.pk]))
    assert response.url.endswith(f"#kilde-{handbook.pk}")
    handbook.refresh_from_db()
    assert handbook.checked and handbook.checked_by


def test_the_guide_exports_its_references_for_reference_managers(current_catalogue, editor, clients):
    edition = guide.publish_edition(editor, "Første utgave.")
    public = clients["anonymous"]

    def export(kind):
        response = public.get(reverse("measures:edition_references", args=[edition.number, kind]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        return response.content.decode()

    references = edition.content["references"]
    bib = export("bib")
    assert bib.count("\n@") + bib.startswith("@") == len(references)
    assert "@article{braga2019," in bib and "doi = {10.1002/cl2.1051}" in bib
    ris = export("ris")
    assert ris.count("ER  - ") == len(references) and "DO  - 10.1002/cl2.1051" in ris
    items = json.loads(export("json"))
    braga = next(item for item in items if item["id"] == "braga2019")
    assert braga["type"] == "article-journal" and braga["author"][0] == {"family": "Braga", "given": "A. A."}
    assert braga["issued"] == {"date-parts": [[2019]]} and braga["container-title"] == "Campbell Systematic Reviews"
    page = english(public).get(edition.get_absolute_url()).content.decode()
    assert reverse("measures:edition_references", args=[edition.number, "ris"]) in page
    assert "<em>Campbell Systematic Reviews</em>" in page
    assert public.get(f"/tiltak/veileder/utgave/{edition.number}/kilder.exe").status_code == 404


# One legal text ----------------------------------------------------------------------------------------------------


def test_the_legal_basis_for_situation_reports_is_one_text_shown_in_the_guide(current_catalogue, editor, clients):
    with translation.override("nb"):
        notice = str(legal.report_exemption())
    assert "§ 24 første og tredje ledd" in notice and "§ 13" in notice and "merinnsyn, § 11" in notice
    assert "jurist" in notice and "andre ledd" not in notice
    edition = guide.publish_edition(editor, "Første utgave.")
    page = clients["anonymous"].get(edition.get_absolute_url()).content.decode()
    with translation.override("nb"):
        assert legal.report_exemption().basis in page


# The demo replays the review ----------------------------------------------------------------------------------------


def test_the_demo_guide_has_a_third_edition_whose_comparison_shows_the_corrections(municipalities, clients):
    call_command("load_demo", stdout=io.StringIO())
    assert list(Edition.objects.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    assert not Proposal.objects.filter(status="open").exists()
    klubbhus = Measure.objects.get(key="klubbhusforbud")
    assert klubbhus.effect is None and "plan- og bygningsloven er det nærmeste" in klubbhus.transferability_reason
    page = english(clients["anonymous"]).get(reverse("measures:edition_compare")).content.decode()
    assert "Exitprogram for dem som vil ut" in page and "Fokusert avskrekking" in page
    assert "Inconclusive" in page and "Promising" in page
    assert "Avverging" in page  # the chapter on Bjørgo's model, corrected
