from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/notat/", views.add_note, name="add_note"),
    path("<int:pk>/triage/", views.triage, name="triage"),
    path("<int:pk>/ekspert/", views.add_expert, name="add_expert"),
    path("<int:pk>/status/", views.change_status, name="change_status"),
    path("<int:pk>/fortrolig/", views.change_confidential, name="change_confidential"),
    path("<int:pk>/tiltak/", views.link_measure, name="link_measure"),
    path("<int:pk>/dokument/", views.link_document, name="link_document"),
    path("<int:pk>/avslutt/", views.close, name="close"),
]
