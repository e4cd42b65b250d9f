from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .models import (
    APIToken,
    County,
    Municipality,
    MunicipalityAlias,
    Organisation,
    Person,
    PoliceDistrict,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "get_full_name", "email", "role", "is_active"]
    list_filter = ["role", "is_active"]
    filter_horizontal = ["municipalities"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets[:2],
        (
            _("Role and access"),
            {"fields": ["role", "organisation", "municipalities", "partner_areas", "is_active"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and access"), {"fields": ["role", "organisation", "municipalities"]}),
    ]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county", "police_district", "population"]
    list_filter = ["county", "police_district"]
    search_fields = ["number", "name"]
    readonly_fields = ["neighbours"]


@admin.register(MunicipalityAlias)
class MunicipalityAliasAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "year", "municipality"]
    search_fields = ["number", "name"]
    list_filter = ["year"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation", "municipality"]
    search_fields = ["name", "email"]
    autocomplete_fields = ["organisation", "municipality"]


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at"]
    readonly_fields = ["user", "token_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False


admin.site.register(County)
admin.site.register(PoliceDistrict)
admin.site.unregister(Group)
