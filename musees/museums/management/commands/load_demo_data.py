"""`manage.py load_demo_data`: the site tree and the region's real Muséofile museums, once."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from musees.catalogue.importers.joconde_csv import JocondeCsvParser
from musees.catalogue.models import Work
from musees.catalogue.services import works_import
from musees.core.cache import public_cache_clear
from musees.core.models import HomeFeaturedMuseum
from musees.core.text import fold
from musees.museums.management.commands.import_museums import import_museofile_file
from musees.museums.models import MuseumIndexPage, MuseumPage

BASE_FILE = "musees-de-france-base-museofile.csv"
LIST_FILE = "liste-et-localisation-des-musees-de-france.csv"
# The region's real Joconde records (see data/joconde/README.md), imported after the museums.
JOCONDE_FILE = settings.BASE_DIR / "data" / "joconde" / "joconde_costumes_occitanie_subset.csv"
FEATURED_COUNT = 6  # two full rows of three cards on a wide screen
ALREADY_LOADED = gettext_lazy("Données de démonstration déjà chargées : rien à faire.")
MISSING_FILE = gettext_lazy("Fichier introuvable : %(path)s")


def featured_museums_choose(*, region: str, count: int = FEATURED_COUNT) -> list[MuseumPage]:
    """The region's museums with the longest "atouts" text, one per département, in that order."""
    wanted = fold(region)
    museums = [
        museum
        for museum in MuseumPage.objects.live().only(
            "id", "title", "museofile_id", "region", "departement_code", "highlights"
        )
        if fold(museum.region) == wanted
    ]
    museums.sort(key=lambda museum: (-len(museum.highlights), museum.museofile_id or ""))
    chosen, departements = [], set()
    for museum in museums:
        if museum.departement_code in departements:
            continue
        chosen.append(museum)
        departements.add(museum.departement_code)
        if len(chosen) == count:
            break
    return chosen


@transaction.atomic
def home_featured_museums_set(*, museums: list[MuseumPage]):
    """Put these museums forward on the home page (the museums index's parent) and publish it."""
    index = MuseumIndexPage.objects.live().first()
    home = index.get_parent().specific
    home.featured_museums.set(
        [HomeFeaturedMuseum(museum=museum, sort_order=i) for i, museum in enumerate(museums)]
    )
    home.save_revision().publish()
    return home


class Command(BaseCommand):
    """Load the demo data: site tree, the region's museums (Muséofile) and works (Joconde)."""

    help = _(
        "Charge les données de démonstration (les Musées de France de la région) "
        "si la base n'a encore aucun musée."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            default="data/museofile",
            help=_("Dossier des fichiers Muséofile"),
        )
        parser.add_argument(
            "--works-file",
            default=str(JOCONDE_FILE),
            help=_("Fichier Joconde (CSV) des œuvres de la région"),
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Recharger même si des musées existent déjà"),
        )

    def handle(self, *args, **options):
        if MuseumPage.objects.exists() and not options["force"]:
            self.stdout.write(str(ALREADY_LOADED))
            return
        data_dir = Path(options["data_dir"])
        paths = [data_dir / BASE_FILE, data_dir / LIST_FILE]
        works_file = Path(options["works_file"])
        for path in [*paths, works_file]:
            if not path.is_file():
                raise CommandError(str(MISSING_FILE % {"path": path}))
        call_command("setup_site", stdout=self.stdout, stderr=self.stderr)
        region = settings.MUSEES_REGION
        for path in paths:
            file_format, report = import_museofile_file(path, region=region)
            self.stdout.write(
                _("%(file)s (%(region)s) : %(summary)s")
                % {"file": path.name, "region": region, "summary": report.summary()}
            )
            for line in report.lines()[1:]:
                self.stdout.write("  " + line)
        # The works of the region's museums: the file names each work's museum by Muséofile id.
        works = works_import(records=JocondeCsvParser(works_file), source_format="joconde-csv")
        public_cache_clear()
        self.stdout.write(
            _("%(file)s : %(summary)s") % {"file": works_file.name, "summary": works.summary()}
        )
        featured = featured_museums_choose(region=region)
        if featured:
            home_featured_museums_set(museums=featured)
            self.stdout.write(
                _("Musées à la une : %(titles)s")
                % {"titles": ", ".join(museum.title for museum in featured)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Données de démonstration chargées : %(count)d musées, %(works)d œuvres.")
                % {"count": MuseumPage.objects.count(), "works": Work.objects.count()}
            )
        )
