from django.contrib import admin

from .models import ReplyTemplate


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    """KS administrators keep the reply templates; cases themselves are worked on their pages, never here."""

    list_display = ["title"]
    search_fields = ["title", "body"]
