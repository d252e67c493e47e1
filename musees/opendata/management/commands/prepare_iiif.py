"""`manage.py prepare_iiif [--museum ID] [--force]`: cut the IIIF masters before the first visit.

The IIIF Image API 3.0 service (musees/opendata/iiif) prepares a master's tile pyramid on the
first request of one of its images; this prepares every image of the published works ahead, as
the service will show it (at the restricted size when high-resolution download is not allowed).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image

from musees.catalogue.models import Work, WorkImage
from musees.museums.models import MuseumPage
from musees.opendata.iiif.images import served_image_for
from musees.opendata.iiif.pyramid import discard_prepared, is_prepared, prepare

PROGRESS_EVERY = 0.5  # seconds between two redraws of the progress line


def public_work_images(museum: MuseumPage | None = None) -> list[WorkImage]:
    """One WorkImage per image of a published work: the one the service uses for it.

    An image that illustrates several works is served with its most generous use, as
    `find_public_image` chooses it.
    """
    work_images = (
        WorkImage.objects.filter(work__in=Work.objects.published())
        .select_related("image")
        .order_by("image_id", "-high_resolution_download", "pk")
    )
    if museum is not None:
        work_images = work_images.filter(work__museum=museum)
    chosen: dict[int, WorkImage] = {}
    for work_image in work_images.iterator(chunk_size=2000):
        chosen.setdefault(work_image.image_id, work_image)
    return list(chosen.values())


def failure_reason(error: Exception, work_image: WorkImage) -> str:
    """Why an image could not be prepared, in French."""
    name = work_image.image.file.name
    # Wagtail re-raises a missing file as its own SourceImageIOError, without the errno.
    if isinstance(error, FileNotFoundError) or not work_image.image.file.storage.exists(name):
        return _("fichier introuvable (%(name)s)") % {"name": name}
    if isinstance(error, Image.UnidentifiedImageError):
        return _("fichier illisible comme image (%(name)s)") % {"name": name}
    return str(error) or error.__class__.__name__


class Command(BaseCommand):
    help = _(
        "Prépare les tuiles IIIF de toutes les images des œuvres publiées, avant la première "
        "visite ; les images déjà prêtes sont laissées telles quelles (sauf --force)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--museum",
            metavar="MUSEOFILE_ID",
            help=_("Identifiant Muséofile du musée dont préparer les images (sinon : tous)"),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Préparer de nouveau les images déjà prêtes"),
        )

    def handle(self, *args, museum=None, force=False, **options):
        page = None
        if museum:
            page = MuseumPage.objects.filter(museofile_id=museum.upper()).first()
            if page is None:
                raise CommandError(
                    _("Aucun musée n'a l'identifiant Muséofile « %(id)s ».") % {"id": museum}
                )
        work_images = public_work_images(page)
        total = len(work_images)
        show_progress = options["verbosity"] >= 2 or self.stderr.isatty()
        started = last_drawn = time.monotonic()
        prepared = ready = 0
        failures: list[tuple[int, str]] = []
        for done, work_image in enumerate(work_images, start=1):
            try:
                source = served_image_for(work_image).source
                if is_prepared(source) and not force:
                    ready += 1
                else:
                    if force:
                        discard_prepared(source)
                    prepare(source)
                    prepared += 1
            except (OSError, ValueError, Image.DecompressionBombError) as error:
                # OSError covers a missing or unreadable file and Pillow's decoding errors.
                failures.append((work_image.image_id, failure_reason(error, work_image)))
            now = time.monotonic()
            if show_progress and (now - last_drawn >= PROGRESS_EVERY or done == total):
                last_drawn = now
                self.draw_progress(done, total, now - started)
        if show_progress and total:
            self.stderr.write("")
        self.report(prepared, ready, failures)
        if failures:
            raise CommandError(
                ngettext(
                    "%(n)d image n'a pas pu être préparée.",
                    "%(n)d images n'ont pas pu être préparées.",
                    len(failures),
                )
                % {"n": len(failures)},
                returncode=1,
            )

    def draw_progress(self, done: int, total: int, elapsed: float) -> None:
        rate = done / max(elapsed, 1e-6)
        remaining = (total - done) / rate if rate else 0
        line = _("%(done)d/%(total)d images, %(rate).1f images/s, reste %(eta)s") % {
            "done": done,
            "total": total,
            "rate": rate,
            "eta": _duration(remaining),
        }
        self.stderr.write("\r" + line.ljust(79), ending="")
        self.stderr.flush()

    def report(self, prepared: int, ready: int, failures: list[tuple[int, str]]) -> None:
        self.stdout.write(
            ", ".join(
                [
                    ngettext("%(n)d image préparée", "%(n)d images préparées", prepared)
                    % {"n": prepared},
                    ngettext("%(n)d déjà prête", "%(n)d déjà prêtes", ready) % {"n": ready},
                    ngettext("%(n)d en échec", "%(n)d en échec", len(failures))
                    % {"n": len(failures)},
                ]
            )
        )
        for image_id, reason in failures:
            self.stderr.write(_("image %(id)d : %(reason)s") % {"id": image_id, "reason": reason})


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"
