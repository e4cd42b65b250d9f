from django.contrib.auth import views as auth_views
from django.urls import path

from .views import accounts, audit, contacts, directory, health, jobs, pages, places

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("oversikt/", pages.dashboard, name="dashboard"),
    path("kommuner/", places.municipality_list, name="municipalities"),
    path("kommuner/<str:number>/", places.municipality_detail, name="municipality"),
    path("kommuner/<str:number>/kontakter/", contacts.contact_add, name="contact_add"),
    path(
        "kommuner/<str:number>/kontakter/<int:user_pk>/fjern/",
        contacts.contact_login_remove,
        name="contact_login_remove",
    ),
    path("organisasjoner/", directory.organisation_list, name="organisations"),
    path("organisasjoner/ny/", directory.organisation_create, name="organisation_create"),
    path("organisasjoner/<int:pk>/", directory.organisation_detail, name="organisation"),
    path("organisasjoner/<int:pk>/endre/", directory.organisation_update, name="organisation_update"),
    path("personer/", directory.person_list, name="people"),
    path("personer/ny/", directory.person_create, name="person_create"),
    path("personer/<int:pk>/", directory.person_detail, name="person"),
    path("personer/<int:pk>/endre/", directory.person_update, name="person_update"),
    path("personer/<int:pk>/inviter/", contacts.person_invite, name="person_invite"),
    path("revisjonsspor/", audit.audit_list, name="audit"),
    path("jobber/<uuid:pk>/", jobs.job, name="job"),
    path("jobber/<uuid:pk>/status/", jobs.job_status, name="job_status"),
    path("jobber/<uuid:pk>/fil/", jobs.job_file, name="job_file"),
    path("konto/logg-inn/", accounts.LoginView.as_view(), name="login"),
    path("konto/logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/tofaktor/", accounts.two_factor, name="two_factor"),
    path("konto/tofaktor/oppsett/", accounts.two_factor_setup, name="two_factor_setup"),
    path("konto/tofaktor/reservekoder/", accounts.two_factor_backup_codes, name="two_factor_backup_codes"),
    path("konto/passord/<uidb64>/<token>/", contacts.SetPasswordView.as_view(), name="set_password"),
    path("konto/api-nokler/", accounts.api_tokens, name="api_tokens"),
    path("konto/api-nokler/<int:pk>/slett/", accounts.api_token_delete, name="api_token_delete"),
]
