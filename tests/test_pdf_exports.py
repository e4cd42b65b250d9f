"""Every PDF takes any text a user can enter: emoji, Sami, right-to-left, combining marks, control characters and
Typst markup never stop a PDF, and what a shipped font draws is in it.

The demo gives one of each document (the study trip, the mapping round, the guide and Bergen's plan); the tests put
odd text into the fields a user writes and fetch each PDF through its address, as a reader would.
"""

import itertools
import re
import subprocess
import unicodedata
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from trygg.core.models import Municipality
from trygg.events.models import Event, ProgrammeItem, Registration
from trygg.mapping import demo as mapping_demo
from trygg.mapping.models import Round
from trygg.measures.models import Chapter, Edition, Measure, Plan
from trygg.youth.models import School, Survey

SAMI = "Ánde Čađa-Ŋuorra Šŧž"
SAMPLES = [
    SAMI,
    "😀",
    "👩🏽‍🚒",
    "🇳🇴",
    "1\ufe0f\u20e3",
    "\u202eRTL\u202c",
    "שלום",
    "مرحبا",
    "a\u0301\u0327",
    "中文",
    "#set text(red)",
    "$x^2$",
    "*fet* _kursiv_ `kode`",
    "\\u{41} // /*",
    "<etikett> @ref [lenke](x)",
    "\u200d\u200b\ufeff\u00ad",
    "\t\r\n",
    "\x07\x1b\x7f",
    "\ue000\U0010fffd",
    "\U000e0001\U000e0067",
]
# Any character a form can send (not NUL, which Django's forms refuse, nor a lone surrogate, which is not UTF-8),
# and the odd ones above more often than chance would give them.
ANY = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
PIECE = st.one_of(st.text(ANY), st.sampled_from(SAMPLES))
TEXT = st.lists(PIECE, min_size=1, max_size=4).map("".join).filter(lambda text: len(text) <= 60)
PLAIN_WORD = re.compile(r"[A-Za-z0-9ÆØÅæøå]+")


@pytest.fixture
def demo(municipalities, mailoutbox):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {
        "trip": Event.objects.get(kind=Event.Kind.STUDY_TRIP),
        "round": Round.objects.get(is_demo=True, name=mapping_demo.ROUND_NAME),
        "plan": Plan.objects.first(),
        "survey": _approved_survey(),
    }


def _approved_survey() -> Survey:
    """A demo survey as it is while pupils answer: its code sheet is printed then."""
    survey = Survey.objects.filter(is_demo=True).first()
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.APPROVED)
    return survey


def pdf_text(content: bytes, tmp_path) -> str:
    """The text of a valid PDF (pdfinfo refuses anything else), without the line breaks and hyphens of layout."""
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"[\s\-\u2010\u202a-\u202e\u2066-\u2069]", "", unicodedata.normalize("NFC", text))


def assert_shown(text: str, pdf: str) -> None:
    """Every word of plain letters in ``text`` is in the PDF (as written or in capitals, as a heading shows it).

    Letters that a direction override (U+202D, U+202E) turns around are drawn in that order, so they are not looked
    for as written.
    """
    if re.search("[\u202d\u202e]", text):
        return
    for word in PLAIN_WORD.findall(unicodedata.normalize("NFC", text)):
        assert word in pdf or word.upper() in pdf, word


def write(demo, text: str, marker: str) -> None:
    """``text`` in the fields users write that each PDF shows, made unique by ``marker``."""
    value = f"{text} {marker}"
    trip, round, plan = demo["trip"], demo["round"], demo["plan"]
    Event.objects.filter(pk=trip.pk).update(title=value)
    ProgrammeItem.objects.filter(pk=trip.programme.first().pk).update(title=value)
    Registration.objects.filter(pk=trip.registrations.filter(status="confirmed").first().pk).update(
        name=value, organisation=value
    )
    Round.objects.filter(pk=round.pk).update(name=value)
    Plan.objects.filter(pk=plan.pk).update(title=value, notes=value)
    Measure.objects.filter(pk=plan.items.first().measure_id).update(name=value, summary=value)
    Chapter.objects.filter(pk=Chapter.objects.first().pk).update(title=value, body=f"{value}\n\n- {value}")
    School.objects.filter(pk=demo["survey"].schools.first().pk).update(name=value)
    Municipality.objects.filter(pk=demo["survey"].municipality_id).update(name=value)


def brief(client, round):
    """The brief as a user gets it: the POST queues a job, the worker makes the file, the job page links to it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        queued = client.post(reverse("mapping:brief_pdf", args=[round.pk]))
    job = client.get(queued["Location"]).context["job"]
    assert job.state == "done", job.message
    response = client.get(job.result_url)
    return SimpleNamespace(status_code=response.status_code, content=response.getvalue())


def documents(demo, clients) -> dict:
    """Each PDF the demo has, fetched as KS staff; the guide's after publishing an edition with the new text."""
    admin = clients["ks_admin"]
    published = admin.post(reverse("measures:edition_publish"), {"notes": "Ny utgave"})
    assert published.status_code == 302, published.content.decode()[-2000:]
    trip = demo["trip"].pk
    return {
        "programme": admin.get(reverse("events:programme_pdf", args=[trip])),
        "badges": admin.get(reverse("events:badges_pdf", args=[trip])),
        "brief": brief(admin, demo["round"]),
        "plan": admin.get(reverse("measures:plan_pdf", args=[demo["plan"].pk])),
        "guide": admin.get(reverse("measures:edition_pdf", args=[Edition.objects.latest("number").number])),
        "codes": admin.get(reverse("youth:codes_pdf", args=[demo["survey"].pk])),
        "parents": admin.get(reverse("youth:parents_pdf", args=[demo["survey"].pk])),
        "parents_en": admin.get(reverse("youth:parents_pdf", args=[demo["survey"].pk]), {"lang": "en"}),
    }


MARKERS = itertools.count()


@hsettings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_every_pdf_takes_any_text_and_shows_what_a_font_draws(demo, clients, tmp_path, text):
    marker = f"Merke{next(MARKERS)}"
    write(demo, text, marker)
    for name, response in documents(demo, clients).items():
        assert response.status_code == 200, name
        pdf = pdf_text(response.content, tmp_path)
        assert marker in pdf, name
        assert_shown(text, pdf)


def test_sami_names_and_emoji_are_drawn_and_the_rest_marked(demo, clients, tmp_path):
    """The case from the issue: an emoji in one delegate's name stopped the badges of the whole event."""
    text = f"{SAMI} 😀 中文 \ue000"
    write(demo, text, "Merke")
    for name, response in documents(demo, clients).items():
        pdf = pdf_text(response.content, tmp_path)
        assert "ÁndeČađaŊuorraŠŧž😀" in pdf or "ÁNDEČAĐAŊUORRAŠŦŽ😀" in pdf, name
        assert "\ufffd\ufffd\ufffd" in pdf, name  # two ideographs and a private character no shipped font has


def test_the_guides_contents_keep_to_one_page(demo, clients, tmp_path):
    """The demo edition's contents once spilled their last lines onto a page of their own."""
    number = Edition.objects.latest("number").number
    path = tmp_path / "guide.pdf"
    path.write_bytes(clients["ks_admin"].get(reverse("measures:edition_pdf", args=[number])).content)

    def page(n: int) -> str:
        return subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True, check=True
        ).stdout

    contents, after = page(2), page(3)
    assert "Innhold" in contents and "Referanser" in contents  # the last entry is on the contents' own page
    assert ". . . . ." not in after  # no leader dots: the page after holds the text, not the contents' tail


def test_a_delegate_cancelled_with_an_emoji_in_the_name_leaves_the_badges_whole(demo, clients, tmp_path):
    """The issue's case: the badges of the whole event broke, even after the delegate was cancelled."""
    registration = demo["trip"].registrations.filter(status="confirmed").first()
    Registration.objects.filter(pk=registration.pk).update(name="Zyxwan 😀🇳🇴\ue000 Quorra")
    cancelled = clients["ks_admin"].get(reverse("events:badges_pdf", args=[demo["trip"].pk]))
    assert "Zyxwan😀🇳🇴" in pdf_text(cancelled.content, tmp_path)
    Registration.objects.filter(pk=registration.pk).update(status="cancelled")
    badges = clients["ks_admin"].get(reverse("events:badges_pdf", args=[demo["trip"].pk]))
    assert badges.status_code == 200 and "Zyxwan" not in pdf_text(badges.content, tmp_path)


def test_a_guide_edition_whose_pdf_cannot_be_made_is_not_published_and_says_why(demo, clients, monkeypatch):
    from trygg.core import documents

    def refuse(*args, **kwargs):
        raise documents.TypesetError("error: unknown font family: testfont")

    before = Edition.objects.count()
    Chapter.objects.filter(pk=Chapter.objects.first().pk).update(body="Ny tekst 😀")
    monkeypatch.setattr(documents, "typeset", refuse)
    refused = clients["ks_admin"].post(reverse("measures:edition_publish"), {"notes": "Ny utgave"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "ingenting ble publisert" in page
    assert "unknown font family: testfont" in page
    assert Edition.objects.count() == before


def test_a_published_edition_serves_its_stored_pdf_whatever_typesetting_does_later(demo, clients, monkeypatch):
    from trygg.core import documents

    Chapter.objects.filter(pk=Chapter.objects.first().pk).update(body="Ny tekst 😀")
    assert clients["ks_admin"].post(reverse("measures:edition_publish"), {"notes": "Ny"}).status_code == 302
    number = Edition.objects.latest("number").number
    stored = clients["anonymous"].get(reverse("measures:edition_pdf", args=[number])).getvalue()

    def refuse(*args, **kwargs):
        raise documents.TypesetError("typesetting is down")

    monkeypatch.setattr(documents, "typeset", refuse)
    again = clients["anonymous"].get(reverse("measures:edition_pdf", args=[number]))
    assert again.status_code == 200 and again.getvalue() == stored
