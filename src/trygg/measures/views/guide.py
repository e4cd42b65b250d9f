"""The guide: its published editions (open to everyone, web and PDF), comparing editions, the draft of the next
edition for editors, publishing an edition and writing its chapters (KS staff).

Each page renders frozen content through ``guide.present``, so an edition looks the same now as when it was
published, whatever changed in the catalogue since.
"""

from django.contrib import messages
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, re_path, reverse
from django.utils.translation import gettext as _

from trygg.core.downloads import download
from trygg.core.permissions import permission_required

from .. import citations, exports, guide
from ..forms_guide import ChapterForm, CompareForm, EditionForm
from ..models import Chapter, Edition


def get_edition(request, number, **kwargs):
    return get_object_or_404(Edition, number=number)


def get_chapter(request, slug, **kwargs):
    return get_object_or_404(Chapter, slug=slug)


def _editions():
    return Edition.objects.order_by("-number").defer("content")


def _rights(user) -> dict:
    return {
        "can_view_draft": user.has_perm("measures.view_drafts"),
        "can_publish": user.has_perm("measures.publish_edition"),
        "can_change_guide": user.has_perm("measures.change_guide"),
    }


def _page(request, edition: Edition, **extra):
    """One edition, published or the draft, with the list of editions and the way to what changed."""
    content = edition.content
    context = {
        "edition": edition,
        "guide": guide.present(content),
        "counts": guide.counts(content),
        "editions": _editions(),
        **_rights(request.user),
        **extra,
    }
    return render(request, "measures/guide.html", context)


def guide_page(request):
    """The latest edition; before the first one, editors see the draft and everyone else a friendly note."""
    latest = guide.latest_edition()
    if latest:
        return edition(request, latest.number)
    if request.user.has_perm("measures.view_drafts"):
        return guide_draft(request)
    return render(request, "measures/guide.html", {"unpublished": True, "title": guide.GUIDE_TITLE})


def edition(request, number):
    current = get_edition(request, number)
    previous = _editions().filter(number__lt=number).first()
    return _page(request, current, previous=previous)


def edition_pdf(request, number):
    current = get_edition(request, number)
    return download(exports.stored_pdf(current), [_("guide"), _("edition"), str(number)], "pdf", inline=True)


def edition_references(request, number, kind):
    """The edition's references for reference managers: BibTeX, RIS or CSL-JSON (``kind`` is the file extension)."""
    current = get_edition(request, number)
    text = citations.EXPORTS[kind](current.content["references"])
    return download(text.encode(), [_("guide"), _("edition"), str(number), _("references")], kind)


@permission_required("measures.view_drafts")
def guide_draft(request):
    """What the next edition would contain if published now, and how it differs from the latest."""
    latest = guide.latest_edition()
    draft = guide.draft_edition()
    return _page(
        request,
        draft,
        draft=True,
        latest=latest,
        differences=guide.compare(latest, draft) if latest else None,
    )


def edition_compare(request):
    """Two editions side by side as a list of differences; any number in the address may be wrong or missing."""
    numbers = sorted(_editions().values_list("number", flat=True))
    context = {"numbers": numbers, "comparable": len(numbers) >= 2}
    if len(numbers) < 2:
        return render(request, "measures/guide_compare.html", context)
    query = request.GET if "fra" in request.GET or "til" in request.GET else {"fra": numbers[-2], "til": numbers[-1]}
    form = CompareForm(query, numbers=numbers)
    context["form"] = form
    if form.is_valid():
        older = Edition.objects.get(number=form.cleaned_data["fra"])
        newer = Edition.objects.get(number=form.cleaned_data["til"])
        context.update(older=older, newer=newer, differences=guide.compare(older, newer))
    return render(request, "measures/guide_compare.html", context)


@permission_required("measures.publish_edition")
def edition_publish(request):
    latest = guide.latest_edition()
    draft = guide.draft_edition()
    form = EditionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            published = guide.publish_edition(request.user, form.cleaned_data["notes"])
        except guide.GuideError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Edition %(number)s of the guide is published.") % {"number": published.number})
            return redirect(published)
    context = {
        "form": form,
        "latest": latest,
        "next_number": latest.number + 1 if latest else 1,
        "counts": guide.counts(draft.content),
        "differences": guide.compare(latest, draft) if latest else None,
        "draft_url": reverse("measures:guide_draft"),
    }
    return render(request, "measures/edition_form.html", context)


@permission_required("measures.change_guide")
def chapters(request):
    order = [Chapter.Placement.BEFORE, Chapter.Placement.AFTER]  # as in the guide; the model sorts by name
    chapters = sorted(Chapter.objects.all(), key=lambda c: (order.index(c.placement), c.position, c.pk))
    return render(request, "measures/chapters.html", {"chapters": chapters})


def _chapter_form(request, chapter: Chapter | None):
    """Add or change a chapter; a refused save keeps every typed character in the form."""
    if request.method == "POST":
        form = ChapterForm(request.POST)
    elif chapter:
        fields = ("title", "slug", "placement", "position", "body", "revision")
        form = ChapterForm(initial={name: getattr(chapter, name) for name in fields})
    else:
        last = Chapter.objects.aggregate(last=Max("position"))["last"] or 0
        form = ChapterForm(initial={"placement": Chapter.Placement.BEFORE, "position": last + 1})
    form.fields["revision"].required = chapter is not None
    conflict, status = False, 200
    if request.method == "POST" and form.is_valid():
        revision = form.cleaned_data["revision"]
        try:
            saved = guide.save_chapter(chapter, form.chapter_data(), revision)
        except guide.ChapterConflict as error:
            form.add_error(None, error.message)
            conflict, status = True, 409
        except guide.GuideError as error:
            for name, message in error.fields.items():
                form.add_error(name, message)
            if not error.fields:
                form.add_error(None, error.message)
        else:
            messages.success(request, _("The chapter “%(title)s” is saved.") % {"title": saved.title})
            return redirect("measures:chapters")
    return render(
        request, "measures/chapter_form.html", {"form": form, "chapter": chapter, "conflict": conflict}, status=status
    )


@permission_required("measures.change_guide")
def chapter_add(request):
    return _chapter_form(request, None)


@permission_required("measures.change_guide", fn=get_chapter)
def chapter_edit(request, slug):
    return _chapter_form(request, get_chapter(request, slug))


urlpatterns = [
    path("veileder/", guide_page, name="guide"),
    path("veileder/utgave/<int:number>/", edition, name="edition"),
    path("veileder/utgave/<int:number>/pdf/", edition_pdf, name="edition_pdf"),
    re_path(
        r"^veileder/utgave/(?P<number>[0-9]+)/kilder\.(?P<kind>bib|ris|json)$",
        edition_references,
        name="edition_references",
    ),
    path("veileder/utkast/", guide_draft, name="guide_draft"),
    path("veileder/sammenlign/", edition_compare, name="edition_compare"),
    path("veileder/publiser/", edition_publish, name="edition_publish"),
    path("veileder/kapitler/", chapters, name="chapters"),
    path("veileder/kapitler/ny/", chapter_add, name="chapter_add"),
    path("veileder/kapitler/<slug:slug>/endre/", chapter_edit, name="chapter_edit"),
]
