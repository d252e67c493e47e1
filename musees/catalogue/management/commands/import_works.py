"""`manage.py import_works FILE --format joconde-txt|joconde-csv|lido`: load a catalogue file."""

import importlib
import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from musees.audit.services import log_import
from musees.catalogue.services import works_import
from musees.museums.models import MuseumPage
from musees.search.follower import followed_import

# Format name -> parser class, imported only when asked for.
FORMATS = {
    "joconde-txt": "musees.catalogue.importers.joconde_txt.JocondeTxtParser",
    "joconde-csv": "musees.catalogue.importers.joconde_csv.JocondeCsvParser",
    "lido": "musees.catalogue.importers.lido.LidoParser",
}
PROGRESS_EVERY = 0.5  # seconds between two redraws of the progress line


def parser_class(format_name: str):
    """The parser class of a format name (lazy import)."""
    module_name, class_name = FORMATS[format_name].rsplit(".", 1)
    return getattr(importlib.import_module(module_name), class_name)


class Progress:
    """One line on stderr, redrawn: records/s, and % and ETA from the bytes the parser read."""

    def __init__(self, stream, handle, total_bytes: int, enabled: bool):
        self.stream = stream
        self.handle = handle
        self.total = total_bytes
        self.enabled = enabled
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def __call__(self, report, final: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < PROGRESS_EVERY and not final):
            return
        self.last = now
        elapsed = max(now - self.started, 1e-6)
        done = report.processed
        line = _("%(done)d notices, %(rate)d/s") % {"done": done, "rate": done / elapsed}
        try:
            position = self.handle.tell()
        except (OSError, ValueError):
            position = None
        if position and self.total:
            share = min(position / self.total, 1.0)
            remaining = elapsed * (1 - share) / share if share else 0
            bar = "#" * int(share * 30)
            line = _("[%(bar)-30s] %(percent)3d %% · %(line)s · reste %(eta)s") % {
                "bar": bar,
                "percent": share * 100,
                "line": line,
                "eta": _duration(remaining),
            }
        self.stream.write("\r" + line.ljust(79), ending="")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("")
            self.stream.flush()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


class Command(BaseCommand):
    """Import a Joconde (text or CSV) or LIDO file into the catalogue, with a report."""

    help = _(
        "Importe un fichier de notices d'œuvres (Joconde texte ou CSV, LIDO) : les notices "
        "inchangées sont ignorées, les notices invalides sont signalées."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("Fichier à importer"))
        parser.add_argument(
            "--format", required=True, choices=sorted(FORMATS), help=_("Format du fichier")
        )
        parser.add_argument(
            "--museum",
            metavar="MUSEOFILE_ID",
            help=_("Identifiant Muséofile du musée de toutes les notices (sinon : champ MUSEO)"),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Tout vérifier sans rien enregistrer")
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help=_("Ne rien enregistrer si une seule notice est invalide"),
        )
        parser.add_argument("--report", metavar="CSV", help=_("Écrire le rapport dans ce fichier"))
        parser.add_argument(
            "--images-dir", help=_("Dossier où chercher les fichiers d'images des notices")
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help=_("Notices par transaction")
        )
        parser.add_argument(
            "--no-follow",
            action="store_true",
            help=_(
                "Ne pas indexer pendant l'import (un grand import reconstruit alors l'index "
                "à la fin)"
            ),
        )

    def handle(self, *args, **options):
        from musees.catalogue.importers.errors import CatalogueFileError

        path = options["file"]
        if not os.path.isfile(path):
            raise CommandError(_("Fichier introuvable : %(path)s") % {"path": path})
        museum = None
        if options["museum"]:
            museum = MuseumPage.objects.filter(museofile_id=options["museum"].upper()).first()
            if museum is None:
                raise CommandError(
                    _("Aucun musée n'a l'identifiant Muséofile « %(id)s ».")
                    % {"id": options["museum"]}
                )
        verbosity = options["verbosity"]
        with open(path, "rb") as handle:
            parser = parser_class(options["format"])(
                handle, default_museofile_id=museum.museofile_id if museum else None
            )
            progress = Progress(
                self.stderr,
                handle,
                os.path.getsize(path),
                enabled=verbosity > 0 and (self.stderr.isatty() or verbosity > 1),
            )
            try:
                # A second process indexes the batches as they are committed (musees.search.
                # follower): a large import is searchable a few seconds after its last batch.
                with followed_import(enabled=self.follow(options)) as follower:
                    report = works_import(
                        records=parser,
                        museum=museum,
                        dry_run=options["dry_run"],
                        strict=options["strict"],
                        batch_size=options["batch_size"],
                        progress=progress,
                        images_dir=options["images_dir"],
                        source_format=options["format"],
                    )
            except CatalogueFileError as error:
                progress.close()
                raise CommandError(str(error)) from error
            progress(report, final=True)
            progress.close()

        for error in report.errors:
            where = _("notice %(number)d (ligne %(line)d)") % {
                "number": error.number,
                "line": error.line,
            }
            if error.field:
                where += _(", champ %(field)s") % {"field": error.field}
            self.stdout.write(f"{where} : {error.reason}")
        for warning in report.all_warnings():
            self.stdout.write(_("Avertissement : %(warning)s") % {"warning": warning})
        if options["report"]:
            report.write_csv(options["report"])
            self.stdout.write(_("Rapport écrit dans %(path)s") % {"path": options["report"]})
        summary = report.summary()
        if report.dry_run:
            summary = _("Essai à blanc, rien n'a été enregistré : %(summary)s") % {
                "summary": summary
            }
        elif not report.committed:
            raise CommandError(
                _(
                    "Mode strict : au moins une notice est invalide, rien n'a été enregistré "
                    "(%(summary)s)."
                )
                % {"summary": summary}
            )
        rate = report.processed / report.elapsed if report.elapsed else 0
        if report.committed and not report.dry_run:
            self.index(report.created + report.updated, verbosity, follower)
            log_import(path=path, format_name=options["format"], museum=museum, report=report)
        self.stdout.write(
            self.style.SUCCESS(summary) if report.committed else self.style.WARNING(summary)
        )
        self.stdout.write(
            _("Durée : %(seconds).1f s (%(rate)d notices/s).")
            % {"seconds": report.elapsed, "rate": rate}
        )

    def follow(self, options) -> bool:
        from musees.search.follower import follower_available

        return not options["dry_run"] and not options["no_follow"] and follower_available()

    def index(self, changed: int, verbosity: int, follower) -> None:
        """A large import is searchable once its segment is installed (by the follower, or
        else by a rebuild); a small one already is, through the change log."""
        from musees.search.engine import REBUILD_AFTER_IMPORT, rebuild

        result = follower.result if follower is not None else None
        if result and result.get("installed"):
            if verbosity:
                self.stdout.write(
                    _("Index de recherche à jour : %(count)d œuvres.")
                    % {"count": result["documents"]}
                )
            return
        if changed < REBUILD_AFTER_IMPORT:
            return
        if verbosity:
            self.stdout.write(_("Mise à jour de l'index de recherche…"))
        state = rebuild()
        if verbosity:
            self.stdout.write(
                _("Index de recherche reconstruit : %(count)d œuvres en %(seconds).1f s.")
                % {"count": state.documents, "seconds": state.build_seconds}
            )
