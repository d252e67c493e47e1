"""The import screens, mounted at /admin/imports/ by wagtail_hooks.py (admin access required)."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.ImportCreateView.as_view(), name="new"),
    path("historique/", views.ImportJobIndexView.as_view(), name="index"),
    path("<int:pk>/", views.ImportJobView.as_view(), name="job"),
    path("<int:pk>/etat/", views.ImportJobStatusView.as_view(), name="status"),
    path("<int:pk>/rapport.csv", views.ImportReportView.as_view(), name="report"),
]
