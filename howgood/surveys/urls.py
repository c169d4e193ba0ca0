from django.urls import path

from howgood.surveys import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.index, name="index"),
    path("surveys/add/", views.create, name="create"),
    path("surveys/<int:pk>/", views.detail, name="detail"),
    path("surveys/<int:pk>/codes/", views.codes, name="codes"),
    path("surveys/<int:pk>/codes/download/", views.codes_download, name="codes_download"),
    path("surveys/<int:pk>/close/", views.close, name="close"),
    path("surveys/<int:pk>/analysis/", views.analysis, name="analysis"),
    path(
        "surveys/<int:pk>/analysis/charts/<str:key>.svg",
        views.analysis_chart,
        name="analysis_chart",
    ),
    path("surveys/<int:pk>/comments/", views.comments, name="comments"),
    path("surveys/<int:pk>/responses.<str:fmt>", views.export, name="export"),
    path("surveys/<int:pk>/report/<str:fmt>/", views.report, name="report"),
    # Respondents: no sign-in; the link token names the survey, the session holds the response.
    path("s/<str:token>/", views.start, name="start"),
    path("s/<str:token>/questions/<int:index>/", views.section, name="section"),
    path("s/<str:token>/check/", views.check, name="check"),
    path("s/<str:token>/done/", views.done, name="done"),
    path("s/<str:token>/saved/", views.save, name="save"),
    path("s/<str:token>/resume/", views.resume, name="resume"),
]
