"""The guide: built from chapters and published measures by mechanism, frozen in editions, compared, and printed."""

import json
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.conftest import logged_in_client
from trygg.core import documents
from trygg.measures import catalogue, exports, guide
from trygg.measures.models import Chapter, Edition, EditionPDF, Mechanism

from .conftest import PUBLISHABLE, SOURCES

BJORGO = SOURCES[0]["reference"]
KLEMENT = "Klement, C. & Kyvsgaard, B. (2014). Flowet i rocker/bandemiljøerne."
LOGIN = "login"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def chapter(title, placement="before", position=1, body="Veilederen samler **erfaringer**."):
    return guide.save_chapter(
        None, {"title": title, "slug": "", "placement": placement, "position": position, "body": body}
    )


def change(editor, measure, **fields):
    """Save ``measure`` with ``fields`` changed, the way an editor would."""
    snapshot = catalogue.snapshot(measure)
    return catalogue.save_measure(
        editor,
        measure,
        {**{name: snapshot[name] for name in catalogue.FIELDS}, **fields},
        sources=snapshot["sources"],
        experiences=snapshot["experiences"],
        reason="oppdatert",
        revision=measure.revision,
    )


@pytest.fixture
def two_measures(make_measure):
    """A measure filed under deterrence (also rewards), one under desistance sharing its source, and a draft."""
    first = make_measure(name="Skjenkekontroll", mechanisms=["deterrence", "rewards"])
    second = make_measure(
        name="Exit-program",
        mechanisms=["desistance"],
        sources=[{"reference": KLEMENT, "year": 2014}, *SOURCES],
        experiences=[{"country": "Danmark", "outcome": "To av tre sa at det hjalp.", "source": KLEMENT}],
    )
    make_measure(status="draft", name="Utkast som ikke skal med", mechanisms=["normative"])
    return first, second


# Building --------------------------------------------------------------------------------------------------


def test_the_guide_has_chapters_before_then_every_mechanism_in_order_then_chapters_after(two_measures):
    chapter("Etterord", placement="after")
    chapter("Innledning", position=2)
    chapter("Forord", position=1)
    content = guide.build()
    ids = [section["id"] for section in content["sections"]]
    assert ids == ["forord", "innledning", *[f"mekanisme-{m.value}" for m in Mechanism], "etterord"]
    by_mechanism = {s["mechanism"]: s for s in content["sections"] if s["kind"] == "mechanism"}
    assert [s["number"] for s in by_mechanism.values()] == list(range(1, 10))
    assert [m["name"] for m in by_mechanism["deterrence"]["measures"]] == ["Skjenkekontroll"]
    assert [m["name"] for m in by_mechanism["desistance"]["measures"]] == ["Exit-program"]
    assert by_mechanism["normative"]["measures"] == []  # only a draft there: the section stays, and says so
    assert by_mechanism["rewards"]["measures"] == []  # a measure sits under its first mechanism only


def test_content_keeps_markdown_and_values_and_the_display_translates_them(two_measures):
    content = guide.build()
    measure = guide.measures_of(content)[0]
    assert measure["id"] == "tiltak-skjenkekontroll"
    assert measure["description"] == PUBLISHABLE["description"]
    assert measure["stages"] == ["activity"]
    with translation.override("en"):
        shown = guide.present(content)
    deterrence = next(s for s in shown["sections"] if s["id"] == "mekanisme-deterrence")
    rewards = next(s for s in shown["sections"] if s["id"] == "mekanisme-rewards")
    assert deterrence["number"] == "3"
    assert deterrence["title"] == "Deterrence"
    first = deterrence["measures"][0]
    assert first["number"] == "3.1"
    assert "<strong>samordnes</strong>" in first["description"]
    assert first["also"] == ["Reducing the rewards of crime"]
    assert first["evidence"]["verdict"] == {"value": "promising", "label": "Promising"}
    assert rewards["see_also"] == [{"id": "tiltak-skjenkekontroll", "name": "Skjenkekontroll"}]


def test_references_are_numbered_once_in_the_order_the_guide_first_cites_them(two_measures):
    content = guide.build()
    assert [(r["number"], r["reference"]) for r in content["references"]] == [(1, BJORGO), (2, KLEMENT)]
    assert content["references"][1]["year"] == 2014
    first, second = guide.measures_of(content)
    assert first["references"] == [1]
    assert sorted(second["references"]) == [1, 2]
    assert second["experiences"][0]["reference"] == 2


# Editions --------------------------------------------------------------------------------------------------


def test_an_edition_is_frozen_when_measures_chapters_and_later_editions_change(two_measures, editor, make_measure):
    intro = chapter("Innledning")
    first = guide.publish_edition(editor, "Første utgave.")
    frozen = json.dumps(first.content, sort_keys=True)

    change(editor, two_measures[0], verdict_reason="Ny begrunnelse etter nye funn.")
    make_measure(name="Klubbhusforbud", mechanisms=["disruption"])
    guide.save_chapter(intro, {**vars_of(intro), "body": "Helt ny tekst."}, intro.revision)
    second = guide.publish_edition(editor, "")

    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert json.dumps(first.content, sort_keys=True) == frozen
    assert "Klubbhusforbud" not in frozen
    page = english(logged_in_client(None)).get(reverse("measures:edition", args=[1]))
    assert page.status_code == 200
    assert "Klubbhusforbud" not in page.content.decode()
    assert "Ny begrunnelse" not in page.content.decode()


def vars_of(chapter: Chapter) -> dict:
    return {name: getattr(chapter, name) for name in ("title", "slug", "placement", "position", "body")}


def test_compare_lists_changed_added_and_removed_measures_and_references(two_measures, editor, make_measure):
    first = guide.publish_edition(editor, "")
    change(editor, two_measures[0], verdict_reason="Norske kommuner melder om færre fester.")
    catalogue.change_status(editor, two_measures[1], "draft", reason="trekkes", revision=two_measures[1].revision)
    make_measure(name="Klubbhusforbud", mechanisms=["disruption"])
    second = guide.publish_edition(editor, "")

    with translation.override("en"):
        differences = guide.compare(first, second)
    found = {(d.kind, d.change, d.title) for d in differences}
    assert ("measure", "changed", "Skjenkekontroll") in found
    assert ("measure", "added", "Klubbhusforbud") in found
    assert ("measure", "removed", "Exit-program") in found
    assert ("reference", "removed", KLEMENT) in found
    changed = next(d for d in differences if d.change == "changed")
    assert [f.name for f in changed.fields] == ["verdict_reason"]
    assert changed.id == "tiltak-skjenkekontroll"
    ops = {(s.op, s.text) for s in changed.fields[0].segments}
    assert ("added", "fester.") in ops
    assert guide.compare(second, second) == []


def test_a_long_unchanged_text_shows_only_the_words_around_the_change():
    words = [f"ord{n}" for n in range(100)]
    segments = guide.diff_segments(words, [*words[:50], "nytt", *words[50:]])
    assert [s.op for s in segments] == ["gap", "same", "added", "same", "gap"]
    assert segments[1].text.split() == words[50 - guide.CONTEXT : 50]
    assert segments[2].text == "nytt"


def test_an_edition_needs_a_published_measure_and_something_new(make_measure, editor):
    make_measure(status="draft")
    with translation.override("en"), pytest.raises(guide.GuideError, match="at least one published measure"):
        guide.publish_edition(editor, "")
    make_measure(name="Publisert")
    guide.publish_edition(editor, "")
    with translation.override("en"), pytest.raises(guide.GuideError, match="Nothing has changed since edition 1"):
        guide.publish_edition(editor, "")
    assert Edition.objects.count() == 1


# The PDF ---------------------------------------------------------------------------------------------------


def test_the_pdf_has_cover_contents_measures_and_references(two_measures, editor, tmp_path):
    chapter("Innledning")
    guide.publish_edition(editor, "Første utgave.")
    response = english(logged_in_client(None)).get(reverse("measures:edition_pdf", args=[1]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "guide.pdf"
    path.write_bytes(pdf)
    text = " ".join(subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout.split())
    assert guide.GUIDE_TITLE in text
    assert "Contents" in text
    assert "Edition 1" in text
    assert "Skjenkekontroll" in text
    assert "Deterrence" in text
    assert KLEMENT in text
    assert "References" in text
    info = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages > 1


def test_an_editions_pdfs_are_stored_when_it_is_published_and_served_as_stored(clients, make_measure, monkeypatch):
    make_measure(name="Skjenkekontroll 😀 i Kárášjohka")
    response = clients["ks_admin"].post(reverse("measures:edition_publish"), {"notes": "Første utgave."})
    assert response.status_code == 302
    stored = {pdf.language: pdf.file.read() for pdf in EditionPDF.objects.filter(edition__number=1)}
    assert set(stored) == {code for code, _name in settings.LANGUAGES}
    assert all(content.startswith(b"%PDF") for content in stored.values())
    monkeypatch.setattr(exports, "TYPST_DIR", None)  # typesetting now would fail: what is served is the stored file
    address = reverse("measures:edition_pdf", args=[1])
    assert logged_in_client(None).get(address).content == stored["nb"]
    assert english(logged_in_client(None)).get(address).content == stored["en"]


def test_a_pdf_that_cannot_be_made_refuses_the_publication_with_the_reason(clients, make_measure, monkeypatch):
    make_measure(name="Tiltak \ue000")  # a private character, which PDF/A refuses unless it is replaced
    monkeypatch.setattr(documents, "printable", lambda data: data)
    response = english(clients["ks_admin"]).post(reverse("measures:edition_publish"), {"notes": "Første utgave."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The PDF of the edition could not be made, so nothing was published." in page
    assert "codepoint" in page  # Typst's reason
    assert not Edition.objects.exists() and not EditionPDF.objects.exists()


def test_an_edition_published_without_a_stored_pdf_gets_it_stored_when_first_read(editor, make_measure, tmp_path):
    make_measure()
    guide.publish_edition(editor, "")
    EditionPDF.objects.all().delete()  # as for an edition published before the PDFs were stored
    first = logged_in_client(None).get(reverse("measures:edition_pdf", args=[1])).content
    assert first.startswith(b"%PDF")
    assert EditionPDF.objects.get(edition__number=1, language="nb").file.read() == first
    assert logged_in_client(None).get(reverse("measures:edition_pdf", args=[1])).content == first


# Pages and permissions -------------------------------------------------------------------------------------

PUBLIC = {"anonymous": 200, "ks_admin": 200, "ks_adviser": 200, "municipal_contact": 200, "partner": 200}
EDITORS = {"anonymous": LOGIN, "ks_admin": 200, "ks_adviser": 200, "municipal_contact": 403, "partner": 403}


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("measures:guide", [], PUBLIC),
        ("measures:edition", [1], PUBLIC),
        ("measures:edition_pdf", [1], PUBLIC),
        ("measures:edition_compare", [], PUBLIC),
        ("measures:guide_draft", [], EDITORS),
        ("measures:edition_publish", [], EDITORS),
        ("measures:chapters", [], EDITORS),
        ("measures:chapter_add", [], EDITORS),
        ("measures:chapter_edit", ["innledning"], EDITORS),
    ],
)
def test_who_may_see_each_page(clients, make_measure, editor, name, args, expected):
    make_measure()
    chapter("Innledning")
    guide.publish_edition(editor, "")
    for role, client in clients.items():
        response = client.get(reverse(name, args=args))
        if expected[role] == LOGIN:
            assert response.status_code == 302, role
            assert response["Location"].startswith(reverse("core:login")), role
        else:
            assert response.status_code == expected[role], role


def test_a_measures_partner_may_read_the_draft_but_not_publish_or_write_chapters(measures_partner, make_measure):
    make_measure()
    client = logged_in_client(measures_partner)
    assert client.get(reverse("measures:guide_draft")).status_code == 200
    assert client.get(reverse("measures:edition_publish")).status_code == 403
    assert client.post(reverse("measures:edition_publish"), {"notes": ""}).status_code == 403
    assert client.get(reverse("measures:chapters")).status_code == 403
    assert not Edition.objects.exists()


def test_before_the_first_edition_readers_get_a_note_and_editors_the_draft(clients, make_measure):
    make_measure()
    public = english(clients["anonymous"]).get(reverse("measures:guide"))
    assert public.status_code == 200
    assert "has not been published yet" in public.content.decode()
    assert "Skjenkekontroll" not in public.content.decode()
    staff = english(clients["ks_adviser"]).get(reverse("measures:guide"))
    assert staff.status_code == 200
    assert "Draft – not published." in staff.content.decode()
    assert "Skjenkekontroll på klubbhus" in staff.content.decode()


def test_the_edition_page_has_contents_anchors_references_and_the_way_to_the_pdf(two_measures, editor):
    chapter("Innledning")
    guide.publish_edition(editor, "Første utgave.")
    change(editor, two_measures[0], summary="Endret sammendrag.")
    guide.publish_edition(editor, "")
    page = english(logged_in_client(None)).get(reverse("measures:edition", args=[2])).content.decode()
    assert '<nav class="guide-toc-nav" aria-labelledby="innhold">' in page
    assert '<summary><h2 id="innhold">Contents</h2></summary>' in page  # collapsible on phones, open beside the text
    for anchor in ("innledning", "mekanisme-normative", "tiltak-skjenkekontroll", "kilde-2"):
        assert f'id="{anchor}"' in page
        assert f'href="#{anchor}"' in page
    assert "No published measure has this as its first mechanism yet." in page
    assert "Back to contents" in page
    assert reverse("measures:edition_pdf", args=[2]) in page
    assert f"{reverse('measures:edition_compare')}?fra=1&amp;til=2" in page
    assert reverse("measures:edition", args=[1]) in page


def test_the_draft_shows_what_changed_since_the_latest_edition(two_measures, editor, clients):
    guide.publish_edition(editor, "")
    change(editor, two_measures[0], summary="Et nytt sammendrag.")
    page = english(clients["ks_adviser"]).get(reverse("measures:guide_draft")).content.decode()
    assert "Draft – not published." in page
    assert "Changes since edition 1" in page
    assert "Et nytt sammendrag." in page
    assert "<ins>" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?fra=x&til=9", "There is no edition with that number."),
        ("?fra=1&til=1", "Choose two different editions."),
        ("?fra=&til=2", "Choose an edition."),
        ("?til=99999999999999999999999", "There is no edition with that number."),
    ],
)
def test_bad_edition_numbers_to_compare_get_a_message_not_an_error(two_measures, editor, make_measure, query, message):
    guide.publish_edition(editor, "")
    make_measure(name="Nytt tiltak", mechanisms=["harm"])
    guide.publish_edition(editor, "")
    response = english(logged_in_client(None)).get(reverse("measures:edition_compare") + query)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_compare_shows_a_chapters_changed_words_without_markdown_and_escapes_them(two_measures, editor):
    intro = chapter("Innledning", body="Veilederen samler **erfaringer** fra\n\n- kommuner")
    other = chapter("Om tallene", position=2, body="Tallene er *ferske*.")
    guide.publish_edition(editor, "")
    body = "Veilederen samler **gode erfaringer** fra [KS](https://www.ks.no/)\n\n- &lt;img src=x onerror=alert(1)&gt;"
    guide.save_chapter(intro, {**vars_of(intro), "body": body}, intro.revision)
    guide.save_chapter(other, {**vars_of(other), "body": "Tallene er **ferske**."}, other.revision)
    guide.publish_edition(editor, "")
    page = english(logged_in_client(None)).get(reverse("measures:edition_compare"), {"fra": 1, "til": 2})
    changes = page.content.decode().split('id="differences-heading"')[1]
    assert '<ins><span class="visually-hidden">added: </span>gode</ins>' in changes
    assert '<ins><span class="visually-hidden">added: </span>KS &lt;img src=x onerror=alert(1)&gt;</ins>' in changes
    assert "<img" not in changes
    for syntax in ("**", "*ferske", "[KS]", "](https", "- kommuner"):
        assert syntax not in changes, syntax
    assert "Only the formatting changed." in changes  # «Om tallene»: the same words, now bold


def test_compare_shows_the_latest_two_editions_by_default_and_copes_with_one(two_measures, editor, make_measure):
    client = english(logged_in_client(None))
    assert client.get(reverse("measures:edition_compare")).status_code == 200
    guide.publish_edition(editor, "")
    assert "nothing to compare yet" in client.get(reverse("measures:edition_compare")).content.decode()
    make_measure(name="Nytt tiltak", mechanisms=["harm"])
    guide.publish_edition(editor, "")
    page = client.get(reverse("measures:edition_compare")).content.decode()
    assert "From edition 1 to edition 2" in page
    assert "Nytt tiltak" in page


def test_ks_staff_publish_an_edition_with_notes_and_see_what_changed_first(clients, make_measure):
    make_measure()
    client = english(clients["ks_admin"])
    page = client.get(reverse("measures:edition_publish")).content.decode()
    assert "This is the first edition" in page
    response = client.post(reverse("measures:edition_publish"), {"notes": "Første utgave."})
    assert response.status_code == 302
    assert response["Location"] == reverse("measures:edition", args=[1])
    edition = Edition.objects.get()
    assert (edition.notes, edition.title, edition.published_by.username) == (
        "Første utgave.",
        guide.GUIDE_TITLE,
        "test_ks_admin",
    )
    again = client.post(reverse("measures:edition_publish"), {"notes": "Igjen"})
    assert again.status_code == 200
    assert "Nothing has changed since edition 1" in again.content.decode()
    assert "Igjen" in again.content.decode()
    assert clients["municipal_contact"].post(reverse("measures:edition_publish"), {"notes": ""}).status_code == 403
    assert Edition.objects.count() == 1


# Chapters --------------------------------------------------------------------------------------------------


def chapter_post(**fields):
    return {"title": "Innledning", "slug": "", "placement": "before", "position": "1", "body": "Tekst.", **fields}


def test_ks_staff_write_a_chapter_and_the_anchor_comes_from_the_title(clients):
    response = clients["ks_adviser"].post(
        reverse("measures:chapter_add"), chapter_post(title="Slik bruker du veilederen")
    )
    assert response.status_code == 302
    assert Chapter.objects.get().slug == "slik-bruker-du-veilederen"


def test_html_in_a_chapter_is_refused_with_a_message_and_the_text_kept(clients):
    body = "Les dette <script>alert(1)</script> nå."
    response = english(clients["ks_adviser"]).post(reverse("measures:chapter_add"), chapter_post(body=body))
    assert response.status_code == 200
    page = response.content.decode()
    assert "contains HTML (&lt;script&gt;, &lt;/script&gt;)" in page
    assert "Les dette &lt;script&gt;alert(1)&lt;/script&gt; nå." in page
    assert not Chapter.objects.exists()


@pytest.mark.parametrize("slug", ["innhold", "tiltak-skjenkekontroll", "mekanisme-harm", "kilde-1"])
def test_a_chapter_cannot_take_an_anchor_the_guide_uses(clients, slug):
    response = english(clients["ks_adviser"]).post(reverse("measures:chapter_add"), chapter_post(slug=slug))
    assert response.status_code == 200
    assert "The guide uses the anchor" in response.content.decode()
    assert not Chapter.objects.exists()


def test_two_anchors_cannot_be_the_same(clients):
    chapter("Innledning")
    response = english(clients["ks_adviser"]).post(reverse("measures:chapter_add"), chapter_post(slug="innledning"))
    assert "Another chapter already has the anchor" in response.content.decode()
    assert Chapter.objects.count() == 1


def test_a_second_save_from_a_stale_form_is_a_conflict_and_keeps_the_typed_text(clients, users):
    intro = chapter("Innledning", body="Original.")
    url = reverse("measures:chapter_edit", args=[intro.slug])
    first, second = english(clients["ks_adviser"]), english(logged_in_client(users["ks_admin"]))
    assert first.get(url).status_code == 200
    stale = chapter_post(body="Rådgiverens tekst.", revision=str(intro.revision))
    assert first.post(url, stale).status_code == 302
    response = second.post(url, {**stale, "body": "Administratorens tekst."})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this chapter while you were editing it." in page
    assert "Administratorens tekst." in page
    intro.refresh_from_db()
    assert (intro.body, intro.revision) == ("Rådgiverens tekst.", 2)


def test_the_chapter_list_and_form_show_what_is_stored(clients):
    intro = chapter("Innledning", body="Lagret tekst.")
    listing = clients["ks_adviser"].get(reverse("measures:chapters")).content.decode()
    assert reverse("measures:chapter_edit", args=[intro.slug]) in listing
    form = clients["ks_adviser"].get(reverse("measures:chapter_edit", args=[intro.slug])).content.decode()
    assert "Lagret tekst." in form
    assert f'name="revision" value="{intro.revision}"' in form
    assert clients["ks_adviser"].get(reverse("measures:chapter_edit", args=["finnes-ikke"])).status_code == 404
