"""The trash screens, mounted at /admin/corbeille/ by wagtail_hooks.py (admin access required)."""

from django.urls import path

from . import views

app_name = "trash"

urlpatterns = [
    path("", views.TrashIndexView.as_view(), name="index"),
    path("resultats/", views.TrashIndexView.as_view(results_only=True), name="index_results"),
    path("<int:pk>/restaurer/", views.TrashRestoreView.as_view(), name="restore"),
    path("<int:pk>/supprimer/", views.TrashPurgeView.as_view(), name="purge"),
]
