from django.urls import path

from howgood.questionnaires import views

app_name = "questionnaires"

urlpatterns = [
    path("", views.index, name="index"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.questionnaire_detail, name="questionnaire"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/replace/", views.version_replace, name="version_replace"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:pk>/copy/", views.version_derive, name="version_derive"),
    path("versions/<int:pk>/xlsform/", views.version_export, name="version_export"),
    path("versions/<int:pk>/preview/<int:index>/", views.preview, name="preview"),
    path("versions/<int:pk>/preview/check/", views.preview_check, name="preview_check"),
    path("versions/<int:pk>/preview/done/", views.preview_done, name="preview_done"),
]
