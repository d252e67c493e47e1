"""IIIF Image API 3.0 and Presentation API 3.0 addresses, under /iiif/ (outside the languages)."""

from django.urls import path

from . import views

app_name = "iiif"

urlpatterns = [
    # An inventory number may hold "/" (sent as %2F, which the server decodes): <path:>.
    path(
        "3/manifests/<slug:museum_slug>/<path:inventory>/manifest.json",
        views.manifest,
        name="manifest",
    ),
    path("3/<str:identifier>", views.image_base, name="base"),
    path("3/<str:identifier>/info.json", views.image_info_view, name="info"),
    path(
        "3/<str:identifier>/<str:region>/<str:size>/<str:rotation>/<str:filename>",
        views.image_request,
        name="image",
    ),
]
