"""`manage.py import_museums FILE [--region R] [--dry-run]`: import a Muséofile CSV file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from musees.museums.importers.museofile import FORMAT_LABELS, MuseofileFileError, parse_museofile
from musees.museums.importers.report import MuseumImportError
from musees.museums.services import museums_import


def import_museofile_file(path, *, region=None, dry_run=False):
    """Parse a Muséofile file and load it; return (format, report). Raises CommandError."""
    try:
        parsed = parse_museofile(path, region=region or None)
        report = museums_import(
            records=parsed.records,
            dry_run=dry_run,
            rejected=parsed.errors,
            warnings=parsed.warnings,
        )
    except (MuseofileFileError, MuseumImportError) as exc:
        raise CommandError(str(exc)) from exc
    return parsed.format, report


class Command(BaseCommand):
    """Import museums from a Muséofile CSV (base export or "liste et localisation")."""

    help = _("Importe les Musées de France d'un fichier Muséofile (base ou liste et localisation).")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Fichier CSV Muséofile"))
        parser.add_argument(
            "--region", default="", help=_("N'importer que les musées de cette région")
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Tout calculer et afficher, sans rien enregistrer"),
        )

    def handle(self, *args, **options):
        file_format, report = import_museofile_file(
            options["file"], region=options["region"], dry_run=options["dry_run"]
        )
        self.stdout.write(_("Fichier lu : %(format)s.") % {"format": FORMAT_LABELS[file_format]})
        for line in report.lines():
            self.stdout.write(line)
