"""Django admin for the mapping app: KS administrators maintain the questionnaires and the list of groups here."""

from django.contrib import admin

from trygg.core.audit import record_read

from .models import OutlawGroup, Questionnaire, Report, ReportGroup, ReportMeasure, Round


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "created_at"]


@admin.register(OutlawGroup)
class OutlawGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "is_support_club", "is_fictional"]
    list_filter = ["is_support_club", "is_fictional"]
    search_fields = ["name"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    """For repairs. Rounds are opened on the round page (``rounds.open_round``, which freezes the definition's
    version), so the admin opens none and cannot change which questions a round asks."""

    list_display = ["name", "questionnaire", "definition", "status", "opens_at", "deadline", "event", "is_demo"]
    list_filter = ["status", "is_demo"]
    filter_horizontal = ["municipalities"]
    search_fields = ["name"]
    readonly_fields = ["questionnaire", "definition"]

    def has_add_permission(self, request):
        return False


class ReportGroupInline(admin.TabularInline):
    model = ReportGroup
    extra = 0


class ReportMeasureInline(admin.TabularInline):
    model = ReportMeasure
    extra = 0


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Reports are sensitive: the admin is for repairs; municipalities use the report form."""

    list_display = ["__str__", "round", "status", "submitted_at", "updated_at"]
    list_filter = ["round", "status"]
    filter_horizontal = ["municipalities"]
    inlines = [ReportGroupInline, ReportMeasureInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Every read of a report is audited, here as in the app."""
        report = self.get_object(request, object_id)
        if report is not None:
            record_read(report)
        return super().change_view(request, object_id, form_url, extra_context)
