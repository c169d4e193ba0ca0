from django.urls import path

from howgood.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("figures/", views.figures, name="figures"),
    path("drafts/new/", views.draft_create, name="draft_create"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft"),
    path("drafts/<int:pk>/edit/", views.draft_edit, name="draft_edit"),
    path("drafts/<int:pk>/word/", views.draft_word, name="draft_word"),
    path("groups/add/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/members/add/", views.seat_add, name="seat_add"),
    path("seats/<int:pk>/remove/", views.seat_remove, name="seat_remove"),
    path("groups/<int:pk>/meetings/add/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/items/add/", views.item_add, name="item_add"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/decisions/add/", views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/minutes/", views.minutes, name="minutes"),
    path("meetings/<int:pk>/papers/", views.papers, name="papers"),
    path("packs/new/", views.pack_create, name="pack_create"),
    path("packs/<int:pk>/", views.pack_detail, name="pack"),
    path("packs/<int:pk>/again/", views.pack_remake, name="pack_remake"),
]
