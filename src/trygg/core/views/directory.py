"""Organisations and people: who works with crime prevention, where."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ..audit import record_read
from ..forms import OrganisationForm, OrganisationSearchForm, PersonForm
from ..models import Organisation, Person
from ..permissions import permission_required
from ..services import organisations_for


@permission_required("core.view_organisation")
def organisation_list(request):
    form = OrganisationSearchForm(request.GET or None)
    organisations = (
        organisations_for(form.cleaned_data["q"], form.cleaned_data["kind"]) if form.is_valid() else organisations_for()
    )
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(request, "core/organisation_list.html", {"form": form, "page": page})


@permission_required("core.view_organisation")
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.select_related("municipality", "police_district"), pk=pk)
    people = organisation.people.all() if request.user.has_perm("core.view_person") else None
    return render(request, "core/organisation_detail.html", {"organisation": organisation, "people": people})


def _edit(request, form_class, instance, template, success_message):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, success_message % {"name": saved})
        return redirect(saved)
    return render(request, template, {"form": form, "object": instance})


@permission_required("core.add_organisation")
def organisation_create(request):
    return _edit(request, OrganisationForm, None, "core/organisation_form.html", _("“%(name)s” was saved."))


@permission_required("core.change_organisation", fn=lambda request, pk: get_object_or_404(Organisation, pk=pk))
def organisation_update(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    return _edit(request, OrganisationForm, organisation, "core/organisation_form.html", _("“%(name)s” was saved."))


@permission_required("core.view_person")
def person_list(request):
    query = request.GET.get("q", "").strip()[:100]
    people = Person.objects.select_related("organisation", "municipality")
    if query:
        people = people.filter(name__icontains=query)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "core/person_list.html", {"page": page, "q": query})


@permission_required("core.view_person", fn=lambda request, pk: get_object_or_404(Person, pk=pk))
def person_detail(request, pk):
    person = get_object_or_404(Person.objects.select_related("organisation", "municipality"), pk=pk)
    record_read(person)
    return render(request, "core/person_detail.html", {"person": person})


@permission_required("core.add_person")
def person_create(request):
    return _edit(request, PersonForm, None, "core/person_form.html", _("“%(name)s” was saved."))


@permission_required("core.change_person", fn=lambda request, pk: get_object_or_404(Person, pk=pk))
def person_update(request, pk):
    person = get_object_or_404(Person, pk=pk)
    return _edit(request, PersonForm, person, "core/person_form.html", _("“%(name)s” was saved."))
