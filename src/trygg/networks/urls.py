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
    path("foredrag/", views.lecture_list, name="lectures"),
    path("foredrag/ny/", views.lecture_request, name="lecture_request"),
    path("foredrag/<int:pk>/", views.lecture_detail, name="lecture"),
    path("foredrag/<int:pk>/plan/", views.lecture_plan, name="lecture_plan"),
    path("foredrag/<int:pk>/arrangement/", views.lecture_event, name="lecture_event"),
]
