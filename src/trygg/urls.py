from django.contrib import admin
from django.urls import include, path

from trygg.api import api

urlpatterns = [
    path("", include("trygg.core.urls")),
    path("arrangementer/", include("trygg.events.urls")),
    path("kartlegging/", include("trygg.mapping.urls")),
    path("tiltak/", include("trygg.measures.urls")),
    path("saker/", include("trygg.cases.urls")),
    path("nettverk/", include("trygg.networks.urls")),
    path("bibliotek/", include("trygg.library.urls")),
    path("", include("trygg.youth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "trygg.core.views.errors.bad_request"
handler403 = "trygg.core.views.errors.permission_denied"
handler404 = "trygg.core.views.errors.page_not_found"
handler500 = "trygg.core.views.errors.server_error"
