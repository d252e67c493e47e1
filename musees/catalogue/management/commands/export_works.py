"""Export the published works as Joconde text or LIDO 1.1 XML, streamed to a file or stdout."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from musees.audit.services import log_export
from musees.catalogue.exporters import work_prefetches
from musees.catalogue.exporters.joconde_txt import export_joconde_txt
from musees.catalogue.exporters.lido import export_lido
from musees.catalogue.models import Work
from musees.museums.models import MuseumPage

CHUNK_SIZE = 2000


def iter_works(queryset, chunk_size: int = CHUNK_SIZE):
    """Works in primary-key order, a chunk at a time with its related rows (constant memory)."""
    chunk = []
    for work in queryset.select_related("museum").order_by("pk").iterator(chunk_size=chunk_size):
        chunk.append(work)
        if len(chunk) >= chunk_size:
            prefetch_related_objects(chunk, *work_prefetches())
            yield from chunk
            chunk = []
    if chunk:
        prefetch_related_objects(chunk, *work_prefetches())
        yield from chunk


class Command(BaseCommand):
    help = "Exporte les œuvres publiées au format Joconde (texte) ou LIDO 1.1."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=["joconde-txt", "lido"])
        parser.add_argument("--museum", metavar="MUSEOFILE_ID", help=_("Muséofile id du musée"))
        parser.add_argument(
            "--output", metavar="FILE", help=_("fichier de sortie (défaut : stdout)")
        )

    def handle(self, *args, format, museum, output, **options):
        works = Work.objects.published()
        if museum:
            page = MuseumPage.objects.filter(museofile_id=museum).first()
            if page is None:
                raise CommandError(_("Aucun musée n'a le numéro Muséofile « %s ».") % museum)
            works = works.for_museum(page)
        if format == "lido":
            chunks = export_lido(iter_works(works), base_url=settings.WAGTAILADMIN_BASE_URL)
        else:
            chunks = export_joconde_txt(iter_works(works))
        log_export(format_name=format, museofile_id=museum, works=works, output=output)
        if output:
            with open(output, "wb") as stream:
                for chunk in chunks:
                    stream.write(chunk)
            return
        # Bytes as they are to a real stdout; text to a text-only one (call_command's StringIO).
        target = getattr(self.stdout, "_out", sys.stdout)
        binary = getattr(target, "buffer", None)
        for chunk in chunks:
            if binary is not None:
                binary.write(chunk)
            else:
                target.write(chunk.decode("utf-8"))
        (binary or target).flush()
