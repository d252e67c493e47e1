"""The "Équipe" screens, mounted at /admin/equipe/ by wagtail_hooks.py (admin access required)."""

from django.urls import path

from . import views

app_name = "accounts_team"

urlpatterns = [
    path("", views.TeamIndexView.as_view(), name="index"),
    path("musee/<int:museum_pk>/", views.TeamView.as_view(), name="museum"),
    path("musee/<int:museum_pk>/inviter/", views.InviteView.as_view(), name="museum_invite"),
    path(
        "musee/<int:museum_pk>/retirer/<int:user_pk>/",
        views.RemoveView.as_view(),
        name="museum_remove",
    ),
    path("musee/<int:museum_pk>/relecture/", views.ReviewByView.as_view(), name="museum_review"),
    path("reseau/", views.NetworkTeamView.as_view(), name="network"),
    path("reseau/inviter/", views.NetworkInviteView.as_view(), name="network_invite"),
    path("reseau/retirer/<int:user_pk>/", views.NetworkRemoveView.as_view(), name="network_remove"),
    path(
        "invitations/<int:pk>/annuler/",
        views.CancelInvitationView.as_view(),
        name="cancel_invitation",
    ),
]
