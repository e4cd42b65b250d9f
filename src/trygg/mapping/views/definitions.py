"""Questionnaire definitions for rounds: KS imports one (an uploaded YAML/JSON file, or one shipped with Trygg),
sees which versions exist and which are frozen, and downloads a version to review it outside the app.

The definitions are the shared ``questionnaires`` app's; this page is where mapping's advisers manage those that a
municipality answers (``audience: municipality``). The youth survey's, answered by pupils, are not imported here.
"""

import json

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from trygg.core.permissions import permission_required
from trygg.questionnaires import services as questionnaires
from trygg.questionnaires.models import Questionnaire, translated

from .. import rounds

UPLOAD_LIMIT = 1_000_000  # bytes; a questionnaire definition is a few kilobytes


class DefinitionUploadForm(forms.Form):
    upload = forms.FileField(
        label=gettext_lazy("Definition file"),
        help_text=gettext_lazy("YAML or JSON, as exported here or shipped with Trygg (UTF-8)."),
    )

    def clean_upload(self) -> str:
        upload = self.cleaned_data["upload"]
        if upload.size > UPLOAD_LIMIT:
            raise forms.ValidationError(_("The file is larger than 1 MB; a questionnaire definition is much smaller."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text. Save it as UTF-8 and try again.")) from None


def _import(request, text: str) -> bool:
    """Import the text's versions and say which; False (with the definition's own message) if it is not valid."""
    try:
        versions = questionnaires.import_text(text, audience=Questionnaire.Audience.MUNICIPALITY)
    except questionnaires.DefinitionError as error:
        messages.error(request, _("The definition was not imported: %(error)s") % {"error": error})
        return False
    names = ", ".join(str(version) for version in versions)
    messages.success(
        request,
        ngettext("Imported %(names)s.", "Imported %(count)d versions: %(names)s.", len(versions))
        % {"names": names, "count": len(versions)},
    )
    return True


@permission_required("mapping.manage_rounds")
def definitions(request):
    form = DefinitionUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and _import(request, form.cleaned_data["upload"]):
        return redirect("mapping:definitions")
    return render(
        request,
        "mapping/definitions.html",
        {"form": form, "versions": rounds.round_definitions(), "shipped": _shipped()},
    )


def _shipped() -> list[tuple[str, str]]:
    """(file name, label) of the shipped definitions a round may ask, named by title and version, not by file."""
    return [
        (
            name,
            ", ".join(
                _("“%(title)s”, version %(version)s") % {"title": translated(data["title"]), "version": data["version"]}
                for data in definitions
            ),
        )
        for name, definitions in questionnaires.shipped_for(Questionnaire.Audience.MUNICIPALITY).items()
    ]


@require_POST
@permission_required("mapping.manage_rounds")
def definition_import_shipped(request):
    name = request.POST.get("file", "")
    if name not in questionnaires.shipped_for(Questionnaire.Audience.MUNICIPALITY):
        messages.error(request, _("Choose one of the definitions shipped with Trygg."))
    else:
        _import(request, questionnaires.shipped()[name].read_text(encoding="utf-8"))
    return redirect("mapping:definitions")


@permission_required("mapping.manage_rounds")
def definition_export(request, pk, format):
    version = get_object_or_404(rounds.round_definitions(), pk=pk)
    data = questionnaires.export_definition(version)
    if format == "json":
        content, media_type = json.dumps(data, ensure_ascii=False, indent=2), "application/json"
    elif format == "yaml":
        content, media_type = questionnaires.to_yaml(data), "application/yaml"
    else:
        raise Http404
    response = HttpResponse(content, content_type=f"{media_type}; charset=utf-8")
    name = f"{version.questionnaire.code}-v{version.number}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns = [
    path("sporreskjema/", definitions, name="definitions"),
    path("sporreskjema/medfolgende/", definition_import_shipped, name="definition_import_shipped"),
    path("sporreskjema/<int:pk>.<str:format>", definition_export, name="definition_export"),
]
