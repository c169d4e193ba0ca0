from django.urls import path

from howgood.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.index, name="index"),
    path("drafts/new/", views.draft_create, name="draft_create"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft"),
    path("drafts/<int:pk>/edit/", views.draft_edit, name="draft_edit"),
    path("drafts/<int:pk>/word/", views.draft_word, name="draft_word"),
]
