from django.urls import path

from howgood.childprotection import views

app_name = "childprotection"

urlpatterns = [
    path("", views.index, name="index"),
    path("charts/<str:key>.svg", views.chart, name="chart"),
    path("figures.<str:fmt>", views.export, name="export"),
    path("report.<str:fmt>", views.report, name="report"),
    path("extracts/", views.extracts, name="extracts"),
    path("extracts/<int:pk>/", views.extract, name="extract"),
    path("extracts/<int:pk>/columns/", views.columns, name="columns"),
    path("extracts/<int:pk>/rows/", views.extract_rows, name="rows"),
    path("counts/", views.counts, name="counts"),
    path("settings/", views.settings, name="settings"),
    path("changes/<int:pk>/remove/", views.change_remove, name="change_remove"),
    path("measure/", views.series_measure, name="measure"),
    path("sample/", views.sample, name="sample"),
]
