from django.urls import path

from howgood.records import views

app_name = "records"

urlpatterns = [
    path("", views.index, name="index"),
    path("exercises/add/", views.exercise_create, name="exercise_create"),
    path("exercises/<int:pk>/", views.exercise_detail, name="exercise"),
    path("exercises/<int:pk>/case-list/", views.case_import, name="case_import"),
    path("exercises/<int:pk>/records/", views.cases, name="cases"),
    path("exercises/<int:pk>/key-map/", views.keymap, name="keymap"),
    path("exercises/<int:pk>/sample/", views.sample, name="sample"),
    path("exercises/<int:pk>/pairs/", views.pairs, name="pairs"),
    path("exercises/<int:pk>/assign/", views.assign, name="assign"),
    path("exercises/<int:pk>/delete-case-data/", views.case_data_delete, name="case_data_delete"),
    path("exercises/<int:pk>/findings/", views.findings, name="findings"),
    path("exercises/<int:pk>/repeat/", views.repeat, name="repeat"),
    path("exercises/<int:pk>/change/", views.change, name="change"),
    path("exercises/<int:pk>/change/word/", views.change_export, name="change_export"),
    path(
        "exercises/<int:pk>/findings/charts/<str:key>.svg",
        views.findings_chart,
        name="findings_chart",
    ),
    path(
        "exercises/<int:pk>/findings/suggest/",
        views.conclusions_suggest,
        name="conclusions_suggest",
    ),
    path(
        "exercises/<int:pk>/findings/export/<str:fmt>/",
        views.findings_export,
        name="findings_export",
    ),
    path("exercises/<int:pk>/agreement/", views.agreement, name="agreement"),
    path("statements/<int:pk>/", views.conclusion_decide, name="conclusion_decide"),
    path("pairs/<int:pk>/remove/", views.pair_delete, name="pair_delete"),
    path("records/<int:pk>/replace/", views.case_replace, name="case_replace"),
    path("records/<int:pk>/read/", views.reading_start, name="reading_start"),
    path("records/<int:pk>/concern/", views.concern_create, name="concern_create"),
    path("readings/", views.my_readings, name="my_readings"),
    path("readings/<int:pk>/sections/<int:index>/", views.reading_section, name="reading_section"),
    path(
        "readings/<int:pk>/sections/<int:index>/autosave/",
        views.reading_autosave,
        name="reading_autosave",
    ),
    path("readings/<int:pk>/check/", views.reading_check, name="reading_check"),
    path("records/<int:pk>/moderation/", views.moderation, name="moderation"),
    path("concerns/", views.concerns, name="concerns"),
    path("concerns/<int:pk>/", views.concern_detail, name="concern"),
]
