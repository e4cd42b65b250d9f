"""The editorial review of November 2026 as readers meet it: every correction proven through the pages, the PDF and
the exports (HTTP), not only in the starter files. tests/measures/test_review.py proves the files and the workflow."""

import html
import io
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.conftest import logged_in_client
from trygg.core import legal
from trygg.core.models import Municipality, User
from trygg.mapping import situation
from trygg.measures import citations, guide
from trygg.measures.models import Plan, Source


def english(client):
    client.cookies["django_language"] = "en"
    return client


def text_of(response) -> str:
    """The page's text without tags (italics joined to their words), whitespace collapsed, so phrases match."""
    assert response.status_code == 200, response.status_code
    markup = re.sub(r"</?em>", "", response.content.decode())
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.fixture
def current_catalogue(db):
    call_command("load_measures", stdout=io.StringIO())


@pytest.fixture
def demo(municipalities):
    call_command("load_demo", stdout=io.StringIO())


# One legal text ---------------------------------------------------------------------------------------------------


def test_the_report_banner_the_plan_and_the_guide_show_cores_one_legal_text(demo, clients):
    with translation.override("nb"):
        basis = legal.report_exemption().basis
    assert "§ 24 første og tredje ledd" in basis and "§ 13" in basis and "merinnsyn, § 11" in basis
    assert "valgfritt" in basis and "andre ledd" not in basis  # discretionary; the second paragraph does not fit
    bergen = Municipality.objects.get(number="4601")
    contact = logged_in_client(User.objects.get(username="kontakt"))
    report = text_of(contact.get(situation.latest_report(bergen).get_absolute_url()))
    plan = text_of(contact.get(Plan.objects.get(municipality=bergen).get_absolute_url()))
    edition = text_of(clients["anonymous"].get(reverse("measures:edition", args=[3])))
    for page in (report, plan, edition):
        assert basis in page
        assert "24 andre ledd" not in page


def test_no_page_says_reports_simply_are_exempt_only_that_they_are_marked(demo, clients):
    """The exemption is discretionary: pages that remind readers of it say the reports are marked, not exempt."""
    bergen = Municipality.objects.get(number="4601")
    picture = text_of(
        clients["ks_admin"].get(reverse("mapping:picture", args=[situation.latest_report(bergen).round_id]))
    )
    advice = text_of(
        logged_in_client(User.objects.get(username="kontakt")).get(reverse("measures:advice_for", args=["4601"]))
    )
    assert "merket «Unntatt offentlighet»" in picture and "merket «Unntatt offentlighet»" in advice
    for page in (picture, advice):
        assert "Situasjonsrapporter er unntatt offentlighet" not in page


# The demo's third edition and the terms ------------------------------------------------------------------------------


def test_the_demo_guides_third_edition_shows_the_corrections_in_the_reviews_terms(demo, clients):
    public = clients["anonymous"]  # bokmål, the site's language
    compare = text_of(public.get(reverse("measures:edition_compare")))
    assert "Fra utgave 2 til utgave 3" in compare
    for corrected in ("Avverging", "Nav", "barnevernstjenesten", "Skatteetaten", "Uavklart", "Lovende"):
        assert corrected in compare, corrected
    for name in ("Fokusert avskrekking mot gruppevold", "Forbud mot klubbfarger og kjennetegn"):
        assert name in compare, name  # the gaps the review names, added in edition 3
    pages = {
        "edition": reverse("measures:edition", args=[3]),
        "list": reverse("measures:list"),
        "matrix": reverse("measures:matrix"),
        "administrative": reverse("measures:measure", args=["administrativ-tilnaerming"]),
        "al capone": reverse("measures:measure", args=["al-capone-samarbeid"]),
    }
    for name, url in pages.items():
        page = text_of(public.get(url))
        assert ("Avverging" in page) is (name != "al capone"), name  # mechanism 4 as Bjørgo names it, as a label
        for wrong in ("Sabotere", "sabotere", "NAV", "barneverntjenesten", "verktøyskrinet", " skatteetaten"):
            assert wrong not in page, (name, wrong)
    matrix = text_of(public.get(pages["matrix"]))
    assert "4. Avverging" in matrix and "5. Uskadeliggjøring" in matrix and "9. Avhopp og rehabilitering" in matrix
    assert "rekkefølgen Politihøgskolen (PHS) bruker" in matrix  # PHS's order, cited to PHS
    assert (
        'href="https://www.phs.no/en/research/crime-prevention-knowledge-base/"'
        in public.get(pages["matrix"]).content.decode()
    )


def test_a_situation_reports_partner_is_spelled_nav(demo):
    report = situation.latest_report(Municipality.objects.get(number="4601"))
    report.partners = ["police", "nav"]
    report.save(update_fields=["partners"])
    contact = logged_in_client(User.objects.get(username="kontakt"))
    page = text_of(contact.get(report.get_absolute_url()))
    assert re.search(r"\bNav\b", page) and "NAV" not in page


# Ratings, gaps and sources on the catalogue's pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("exitprogram", "Men bare rundt 34 personer svarte på begge undersøkelsene"),
        ("administrativ-tilnaerming", "Vi kjenner likevel ingen evaluering med sammenligningsgruppe"),
        ("ensartede-innstramminger", "Hennigan og Sloane 2013"),
    ],
)
def test_the_disputed_ratings_read_inconclusive_with_their_reasons_and_no_effect_step(current_catalogue, key, reason):
    page = text_of(english(logged_in_client(None)).get(reverse("measures:measure", args=[key])))
    assert "Inconclusive" in page and "Promising" not in page and "Harmful / backfires" not in page
    assert reason in page
    assert "Effect on crime (EMMIE)" not in page  # no study measured an effect, so no step is given


def test_the_clubhouse_ban_has_no_effect_step_and_the_crackdowns_keep_their_cohesion_warning(current_catalogue):
    public = english(logged_in_client(None))
    assert "Effect on crime (EMMIE)" not in text_of(public.get(reverse("measures:measure", args=["klubbhusforbud"])))
    crackdowns = text_of(public.get(reverse("measures:measure", args=["ensartede-innstramminger"])))
    assert "Increased cohesion in the group" in crackdowns


def test_the_gaps_the_review_names_are_published_with_their_sources(current_catalogue):
    public = english(logged_in_client(None))

    def page(key):
        return text_of(public.get(reverse("measures:measure", args=[key])))

    focused = page("fokusert-avskrekking")
    assert "Braga, A. A., Weisburd, D. L., & Turchan, B. (2018)." in focused and "doi.org/10.1002/cl2.1051" in focused
    colours = page("forbud-mot-klubbfarger")
    assert "Betænkning over forslag til folketingsbeslutning om forbud mod rockeres rygmærker" in colours
    administrative = page("administrativ-tilnaerming")
    assert "Wet Bibob" in administrative and "wetten.overheid.nl/BWBR0013798" in administrative
    for key in ("informasjonsdeling", "situasjonskartlegging"):
        text = page(key)
        assert "artikkel 6" in text and "artikkel 10" in text and "Personopplysningsloven" in text, key


@pytest.mark.parametrize(
    ("key", "corrected"),
    [
        ("omrade-og-zoneforbud", ["hele kommuner i fra ett til ti år etter endt soning", "ikke en del av rockerloven"]),
        ("klubbhusforbud", ["samlingssted for en gruppe", "som gjelder i to år", "tre måneder", "varig"]),
        ("eiendomsforbud-ved-konflikt", ["lov om forbud mod ophold i bestemte ejendomme", "lov nr. 907 af 15.10.1996"]),
        ("foreningsopplosning", ["§ 78 stk. 1", "U 2021.4999 H", "fant ikke grunnlag i stk. 2"]),
        ("malrettet-etterforskning", ["strafferamme på minst tre år", "inntil det dobbelte, men ikke mer enn fem år"]),
        ("vlad-lovene", ["sa selv i april 2016 at de bare hadde gitt to"]),
        ("sivilrettslig-forbud", ["1 980 til 2 100", "WODC (NSCR, Vrije Universiteit og Erasmus, 2025)", "4 780"]),
    ],
)
def test_the_corrected_legal_sections_and_figures_are_what_the_measure_pages_say(current_catalogue, key, corrected):
    page = text_of(logged_in_client(None).get(reverse("measures:measure", args=[key])))
    for text in corrected:
        assert text in page, text
    for wrong in ("500 meter", "42 tiltaler", "deltakelse i organisert kriminell gruppe", "§ 78 stk. 2 ", "2011–2015"):
        assert wrong not in page, wrong


def test_every_published_measure_has_a_checked_source_and_unchecked_ones_say_so(current_catalogue):
    public = english(logged_in_client(None))
    exit_programme = text_of(public.get(reverse("measures:measure", args=["exitprogram"])))
    assert "Not checked against the original" in exit_programme  # the handbook and Rigspolitiet's press release
    for source in Source.objects.filter(measures__status="published").distinct():
        if not source.checked:
            assert not source.checked_by
    for key in ("exitprogram", "fokusert-avskrekking", "forbud-mot-klubbfarger", "administrativ-tilnaerming"):
        assert Source.objects.filter(measures__key=key, checked_at__isnull=False).exists(), key


def test_the_sources_page_sets_apart_what_no_measure_cites_any_more(demo, clients):
    admin = english(clients["ks_admin"])
    page = admin.get(reverse("measures:sources")).content.decode()
    cited, _sep, retired = page.partition('class="sources-retired"')
    assert "sources no measure cites any more" in retired
    assert "«rockerloven»: lov om ophold i bestemte ejendomme" in retired  # the title the review corrected
    assert "«rockerloven»" not in cited and "Lov om forbud mod ophold i bestemte ejendomme" in cited
    assert "Checked by Redaksjonell gjennomgang 2026-11" in cited
    assert retired.count("Mark as checked against the original") == 0


# One citation style in the web page, the PDF and the exports ----------------------------------------------------


def test_the_guide_cites_a_source_alike_on_the_page_in_the_pdf_and_in_the_exports(current_catalogue, editor, tmp_path):
    edition = guide.publish_edition(editor, "Første utgave.")
    public = english(logged_in_client(None))
    rostami = citations.cite(citations.record(Source.objects.get(key="rostami2019")))
    assert rostami.startswith("Rostami, A., & Mondani, H. (2019). Organizing on two wheels")
    assert rostami in text_of(public.get(edition.get_absolute_url()))
    pdf = tmp_path / "guide.pdf"
    pdf.write_bytes(public.get(reverse("measures:edition_pdf", args=[edition.number])).content)
    extracted = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert rostami in " ".join(extracted.split()).replace("- ", "-")  # pdftotext's line-end hyphens rejoined
    ris = public.get(reverse("measures:edition_references", args=[edition.number, "ris"])).content.decode()
    assert "TI  - Organizing on two wheels: Uncovering the organizational patterns of Hells Angels MC in Sweden" in ris
    assert "DO  - 10.1007/s12117-017-9310-y" in ris
