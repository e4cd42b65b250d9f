from django.urls import path

from . import views

app_name = "networks"
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/medlem/", views.add_member, name="add_member"),
    path("<int:pk>/kontakt/", views.add_contact, name="add_contact"),
    path("<int:pk>/melding/", views.send_message, name="send_message"),
    path("<int:pk>/mote/", views.create_meeting, name="create_meeting"),
    path("<int:pk>/mote/koble/", views.link_meeting, name="link_meeting"),
    path("<int:pk>/dokument/", views.link_document, name="link_document"),
]
