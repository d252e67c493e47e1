"""Purge the trash entries whose retention (TRASH_RETENTION_DAYS) is over.

Opening the "Corbeille" screen does the same, so a forgotten schedule loses nothing: this
command is for a nightly job, or to see what would go (--dry-run).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from musees.trash.models import retention_days
from musees.trash.services import trash_purge_expired
from musees.trash.views import when


class Command(BaseCommand):
    help = "Supprime définitivement les notices restées plus longtemps que prévu dans la corbeille."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche ce qui serait supprimé, sans rien supprimer.",
        )

    def handle(self, *args, dry_run=False, **options):
        entries = trash_purge_expired(dry_run=dry_run)
        for entry in entries:
            self.stdout.write(
                _("- « %(title)s » (%(museum)s), supprimée le %(date)s")
                % {
                    "title": entry.title,
                    "museum": entry.museum_title,
                    "date": when(entry.deleted_at),
                }
            )
        count = len(entries)
        if not count:
            self.stdout.write(
                _("Aucune notice n'a dépassé sa durée de conservation (%(days)d jours).")
                % {"days": retention_days()}
            )
            return
        if dry_run:
            summary = ngettext(
                "Simulation : %(count)d notice serait supprimée définitivement (conservation : "
                "%(days)d jours). Rien n'a été supprimé.",
                "Simulation : %(count)d notices seraient supprimées définitivement (conservation : "
                "%(days)d jours). Rien n'a été supprimé.",
                count,
            )
        else:
            summary = ngettext(
                "%(count)d notice supprimée définitivement de la corbeille (conservation : "
                "%(days)d jours).",
                "%(count)d notices supprimées définitivement de la corbeille (conservation : "
                "%(days)d jours).",
                count,
            )
        self.stdout.write(summary % {"count": count, "days": retention_days()})
