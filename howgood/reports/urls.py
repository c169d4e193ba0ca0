from django.urls import path

from howgood.reports import views

app_name = "reports"

urlpatterns = [
    path("<int:pk>/", views.report_status, name="status"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("<int:pk>/try-again/", views.report_retry, name="retry"),
]
