from django.urls import path

from howgood.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("partnership/", views.settings_overview, name="settings"),
    path("partnership/change/", views.partnership_edit, name="partnership_edit"),
    path("partnership/switch/", views.switch, name="switch"),
    path("partnership/agencies/add/", views.agency_create, name="agency_create"),
    path("partnership/agencies/<int:pk>/", views.agency_edit, name="agency_edit"),
    path("partnership/members/invite/", views.invite, name="invite"),
    path("partnership/members/<int:pk>/", views.membership_edit, name="membership_edit"),
    path("partnership/members/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path(
        "partnership/invitations/<int:pk>/cancel/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("audit/", views.audit_trail, name="audit"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("programme/", views.programme, name="programme"),
    path("programme/activities/add/", views.activity_create, name="activity_create"),
    path("programme/activities/<int:pk>/", views.activity_detail, name="activity"),
    path("programme/activities/<int:pk>/change/", views.activity_edit, name="activity_edit"),
    path("programme/activities/<int:pk>/attendance/", views.attendance_edit, name="attendance"),
    path(
        "programme/activities/<int:pk>/participants/",
        views.participants_edit,
        name="participants",
    ),
    path("programme/training/", views.training, name="training"),
    path("programme/training/add/", views.training_create, name="training_create"),
    path("programme/training/<int:pk>/remove/", views.training_delete, name="training_delete"),
]
