"""`manage.py rebuild_search`: build the search index of every public work again."""

import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from musees.catalogue.models import Work
from musees.search.engine import rebuild

PROGRESS_EVERY = 0.5  # seconds between two redraws of the progress line


class Command(BaseCommand):
    help = _(
        "Reconstruit l'index de recherche du catalogue à partir de la base de données "
        "(les recherches continuent pendant la construction)."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        show = verbosity > 0 and (self.stderr.isatty() or verbosity > 1)
        total = Work.objects.published().count()
        started = time.monotonic()
        last = [0.0]

        def progress(done: int) -> None:
            now = time.monotonic()
            if not show or (now - last[0] < PROGRESS_EVERY and done < total):
                return
            last[0] = now
            elapsed = max(now - started, 1e-6)
            share = min(done / total, 1.0) if total else 1.0
            remaining = elapsed * (1 - share) / share if share else 0
            line = _(
                "[%(bar)-30s] %(percent)3d %% · %(done)d œuvres, %(rate)d/s · reste %(eta)d s"
            ) % {
                "bar": "#" * int(share * 30),
                "percent": share * 100,
                "done": done,
                "rate": done / elapsed,
                "eta": remaining,
            }
            self.stderr.write("\r" + line.ljust(79), ending="")
            self.stderr.flush()

        state = rebuild(progress)
        if show:
            self.stderr.write("")
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Index de recherche reconstruit : %(count)d œuvres en %(seconds).1f s.")
                    % {"count": state.documents, "seconds": state.build_seconds}
                )
            )
