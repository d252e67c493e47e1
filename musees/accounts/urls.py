"""Public account pages of the platform (allauth's are mounted beside them, under /compte/)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("invitation/<str:token>/", views.invitation_view, name="invitation"),
]
