from django.urls import include, path

from howgood.home.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("howgood.core.urls")),
    path("", include("howgood.accounts.urls")),
    path("", include("howgood.partnerships.urls")),
    path("framework/", include("howgood.frameworks.urls")),
    path("questionnaires/", include("howgood.questionnaires.urls")),
    path("record-reading/", include("howgood.records.urls")),
    path("documents/", include("howgood.reports.urls")),
    path("", include("howgood.surveys.urls")),
    path("self-evaluation/", include("howgood.selfevaluation.urls")),
    path("improvement/", include("howgood.improvement.urls")),
    path("data/", include("howgood.childprotection.urls")),
    path("governance/", include("howgood.governance.urls")),
]

handler403 = "howgood.home.errors.forbidden"
handler404 = "howgood.home.errors.not_found"
handler500 = "howgood.home.errors.server_error"
