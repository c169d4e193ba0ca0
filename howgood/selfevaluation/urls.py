from django.urls import path

from howgood.selfevaluation import views

app_name = "selfevaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("documents/", views.documents, name="documents"),
    path("documents/add/", views.document_add, name="document_add"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("audits/", views.audits, name="audits"),
    path("audits/add/", views.audit_add, name="audit_add"),
    path("audits/<int:pk>/", views.audit, name="audit"),
    path("findings/<int:pk>/close/", views.finding_close, name="finding_close"),
    path("workshops/", views.workshops, name="workshops"),
    path("workshops/add/", views.workshop_add, name="workshop_add"),
    path("workshops/<int:pk>/", views.workshop, name="workshop"),
    path("foci/<int:pk>/", views.focus, name="focus"),
    path("foci/<int:pk>/merge/", views.focus_merge, name="focus_merge"),
    path("foci/<int:pk>/evaluate/", views.focus_evaluate, name="focus_evaluate"),
    path("foci/<int:pk>/evidence/", views.focus_evidence, name="focus_evidence"),
    path(
        "contributions/<int:pk>/to-plan/", views.contribution_to_plan, name="contribution_to_plan"
    ),
    path("statements/", views.statements, name="statements"),
    path("statements/add/", views.statement_add, name="statement_add"),
    path("statements/<int:pk>/", views.statement, name="statement"),
    path("statements/<int:pk>/versions/", views.version_save, name="version_save"),
    path("statements/<int:pk>/compare/", views.compare, name="compare"),
    path("statements/<int:pk>/export/<str:fmt>/", views.statement_export, name="statement_export"),
    path("sections/<int:pk>/", views.section, name="section"),
    path("sections/<int:pk>/evidence/", views.section_evidence, name="section_evidence"),
    path("sections/<int:pk>/comments/", views.section_comment, name="section_comment"),
    path("sections/<int:pk>/to-plan/", views.section_to_plan, name="section_to_plan"),
    path("versions/<int:pk>/", views.version, name="version"),
    path("versions/<int:pk>/sign-off/", views.version_sign_off, name="version_sign_off"),
]
