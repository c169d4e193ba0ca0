from django.urls import path

from howgood.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/add/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/priorities/add/", views.priority_add, name="priority_add"),
    path("plans/<int:pk>/actions/add/", views.action_add, name="action_add"),
    path("plans/<int:pk>/report/<str:fmt>/", views.plan_report, name="plan_report"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/agree/", views.action_agree, name="action_agree"),
    path("measures/", views.measures, name="measures"),
    path("measures/add/", views.measure_create, name="measure_create"),
    path(
        "measures/from-record-reading/<int:pk>/",
        views.measure_from_rounds,
        name="measure_from_rounds",
    ),
    path("measures/<int:pk>/", views.measure, name="measure"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/points/", views.point_add, name="point_add"),
    path("measures/<int:pk>/import/", views.measure_import, name="measure_import"),
    path("measures/<int:pk>/phases/", views.phase_add, name="phase_add"),
    path("measures/<int:pk>/notes/", views.annotation_add, name="annotation_add"),
    path("phases/<int:pk>/remove/", views.phase_remove, name="phase_remove"),
    path("diagrams/", views.diagrams, name="diagrams"),
    path("diagrams/add/", views.diagram_create, name="diagram_create"),
    path("diagrams/<int:pk>/", views.diagram, name="diagram"),
    path("ideas/<int:pk>/pdsa/add/", views.pdsa_plan, name="pdsa_plan"),
    path("pdsa/<int:pk>/", views.pdsa, name="pdsa"),
]
