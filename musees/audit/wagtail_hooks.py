"""The log actions of the network, the "Journal" report, and who sees Wagtail's "Site history"."""

from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from .scope import may_read_journal, sees_whole_network
from .views import JournalView


def _museum_suffix(data: dict) -> str:
    return gettext(" (%(museum)s)") % {"museum": data["museum"]} if data.get("museum") else ""


class RoleFormatter(LogFormatter):
    """'Rôle « rédacteur » donné (Musée X)': the role, or the group when it is no role."""

    def format_message(self, log_entry):
        from musees.accounts.roles import ROLES

        data = log_entry.data or {}
        role = data.get("role")
        what = str(ROLES[role].label) if role in ROLES else data.get("group", "")
        return self.message % {"role": what} + _museum_suffix(data)


class InvitationFormatter(LogFormatter):
    def format_message(self, log_entry):
        return str(self.message) + _museum_suffix(log_entry.data or {})


class LoginFailedFormatter(LogFormatter):
    def format_message(self, log_entry):
        email = (log_entry.data or {}).get("email")
        if email:
            return gettext("Échec de connexion (compte inconnu : %(email)s)") % {"email": email}
        return str(self.message)


class ImportFormatter(LogFormatter):
    def format_message(self, log_entry):
        data = log_entry.data or {}
        return gettext(
            "Import de « %(file)s » (%(format)s) : %(created)d créées, %(updated)d modifiées, "
            "%(unchanged)d inchangées, %(rejected)d rejetées"
        ) % {
            "file": data.get("file", ""),
            "format": data.get("format", ""),
            "created": data.get("created", 0),
            "updated": data.get("updated", 0),
            "unchanged": data.get("unchanged", 0),
            "rejected": data.get("rejected", 0),
        } + _museum_suffix(data)


class ReviewByFormatter(LogFormatter):
    def format_message(self, log_entry):
        from musees.museums.models import MuseumPage

        data = log_entry.data or {}
        choice = data.get("review_by")
        label = MuseumPage.ReviewBy(choice).label if choice in MuseumPage.ReviewBy.values else ""
        return gettext("Relecture des modifications confiée à %(who)s") % {
            "who": label
        } + _museum_suffix(data)


class ExportFormatter(LogFormatter):
    def format_message(self, log_entry):
        data = log_entry.data or {}
        return gettext("Export %(format)s : %(count)d œuvres") % {
            "format": data.get("format", ""),
            "count": data.get("count", 0),
        } + _museum_suffix(data)


ACTIONS = [
    ("musees.login", _("Connexion"), _("Connexion"), LogFormatter),
    ("musees.login_failed", _("Échec de connexion"), _("Échec de connexion"), LoginFailedFormatter),
    ("musees.logout", _("Déconnexion"), _("Déconnexion"), LogFormatter),
    (
        "musees.invitation_sent",
        _("Invitation envoyée"),
        _("Invitation envoyée"),
        InvitationFormatter,
    ),
    (
        "musees.invitation_accepted",
        _("Invitation acceptée"),
        _("Invitation acceptée"),
        InvitationFormatter,
    ),
    (
        "musees.invitation_cancelled",
        _("Invitation annulée"),
        _("Invitation annulée"),
        InvitationFormatter,
    ),
    ("musees.role_added", _("Rôle donné"), _("Rôle « %(role)s » donné"), RoleFormatter),
    ("musees.role_removed", _("Rôle retiré"), _("Rôle « %(role)s » retiré"), RoleFormatter),
    ("musees.import", _("Import de notices"), _("Import de notices"), ImportFormatter),
    ("musees.export", _("Export de notices"), _("Export de notices"), ExportFormatter),
    (
        "musees.review_by",
        _("Relecture des modifications"),
        _("Relecture des modifications"),
        ReviewByFormatter,
    ),
]


@hooks.register("register_log_actions")
def register_network_log_actions(actions):
    for action, label, message, formatter in ACTIONS:
        actions.register_action(action)(
            type(formatter.__name__, (formatter,), {"label": label, "message": message})
        )


@hooks.register("register_admin_urls")
def register_journal_urls():
    return [
        path("journal/", JournalView.as_view(), name="audit_journal"),
        path(
            "journal/resultats/",
            JournalView.as_view(results_only=True),
            name="audit_journal_results",
        ),
    ]


class JournalMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_journal(request.user)


@hooks.register("register_reports_menu_item")
def register_journal_menu_item():
    return JournalMenuItem(
        _("Journal"), reverse("audit_journal"), name="journal", icon_name="history", order=990
    )


@hooks.register("construct_reports_menu")
def hide_site_history(request, menu_items):
    """Site history lists every museum's entries: the association's staff only."""
    if not sees_whole_network(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]
