"""`manage.py generate_works N`: realistic French catalogue records, for benchmarks and load tests.

Never loaded by `make run`: the works it makes are invented (French vocabularies and templates,
spread over the real museums of the database). Deterministic for a given --seed.
"""

import random
import time
from collections.abc import Iterator

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from musees.catalogue.services import works_import
from musees.museums.models import MuseumPage

FIRST_NAMES = (
    "Jean Pierre Louis Antoine Jacques François Marie Jeanne Marguerite Anne Catherine Louise "
    "Henri Paul Joseph Émile Camille Rosa Berthe Gustave Auguste Achille Hyacinthe Nicolas "
    "Claude Étienne Baptiste Suzanne Élisabeth Simone Raymond Germaine Odilon Théodore Félix"
).split()
SURNAMES = (
    "Dupont Martin Bernard Durand Lefèvre Moreau Laurent Simon Michel Garcia Roux Fournier "
    "Girard Bonnet Fabre Mercier Blanc Guérin Rouquette Vidal Cabanel Bazille Rigaud Ingres "
    "Fabre Bourdelle Maillol Soulages Marquet Toulouse-Lautrec Viallat Astruc Séguier Pradier "
    "Chaptal Benezech Coustou Fontanel Cazals Delmas Maurel Castan Peyre Teisseire Azaïs Roque"
).split()
COMMUNES = [
    ("Hérault", "Montpellier"),
    ("Hérault", "Béziers"),
    ("Hérault", "Lodève"),
    ("Hérault", "Sète"),
    ("Gard", "Nîmes"),
    ("Gard", "Alès"),
    ("Gard", "Uzès"),
    ("Haute-Garonne", "Toulouse"),
    ("Haute-Garonne", "Saint-Gaudens"),
    ("Tarn", "Albi"),
    ("Tarn", "Castres"),
    ("Aude", "Carcassonne"),
    ("Aude", "Narbonne"),
    ("Pyrénées-Orientales", "Perpignan"),
    ("Pyrénées-Orientales", "Céret"),
    ("Aveyron", "Rodez"),
    ("Aveyron", "Millau"),
    ("Lot", "Cahors"),
    ("Lot", "Figeac"),
    ("Gers", "Auch"),
    ("Gers", "Lectoure"),
    ("Tarn-et-Garonne", "Montauban"),
    ("Hautes-Pyrénées", "Tarbes"),
    ("Ariège", "Foix"),
    ("Lozère", "Mende"),
]
# Domain -> (denominations, techniques, roles, title templates, centuries)
DOMAINS = {
    "peinture": (
        ["tableau", "esquisse", "panneau", "miniature"],
        ["huile sur toile", "huile sur bois", "tempera", "gouache", "pastel"],
        ["peintre"],
        [
            "Portrait de {person}",
            "Vue de {commune}",
            "Nature morte aux {things}",
            "Paysage près de {commune}",
            "Scène de {scene}",
            "La {scene} à {commune}",
        ],
        range(15, 21),
    ),
    "beaux-arts": (
        ["dessin", "étude", "carton", "aquarelle"],
        ["mine de plomb", "sanguine", "fusain", "plume, encre brune", "aquarelle"],
        ["dessinateur", "peintre", "graveur"],
        ["Étude pour {scene}", "Tête de {person}", "Vue de {commune}", "Académie d'homme"],
        range(16, 21),
    ),
    "sculpture": (
        ["statue", "buste", "bas-relief", "statuette", "médaillon"],
        ["marbre", "bronze, fonte à la cire perdue", "plâtre patiné", "terre cuite", "bois doré"],
        ["sculpteur", "fondeur"],
        ["Buste de {person}", "Allégorie de la {virtue}", "Saint {saint}", "Baigneuse"],
        range(12, 21),
    ),
    "archéologie": (
        ["fragment", "amphore", "lampe à huile", "fibule", "monnaie", "tesson", "anneau"],
        ["céramique, sigillée", "terre cuite", "alliage cuivreux", "verre soufflé", "fer forgé"],
        ["céramiste", "artisan"],
        ["Fragment de {thing}", "{Thing} gallo-romaine", "Dépôt de {commune}"],
        range(-2, 6),
    ),
    "costume - accessoires du costume": (
        ["robe", "gilet", "coiffe", "éventail", "châle", "corsage", "tablier"],
        ["soie, taffetas", "coton, piqué", "laine, drap", "lin, broderie", "dentelle aux fuseaux"],
        ["brodeuse", "couturière", "tailleur"],
        ["Robe de {scene}", "Costume de {commune}", "Coiffe arlésienne", "Gilet d'homme"],
        range(18, 21),
    ),
    "ethnologie": (
        ["outil", "panier", "sonnaille", "berceau", "métier à tisser", "cruche"],
        ["bois sculpté", "osier tressé", "fer forgé", "terre vernissée", "cuir"],
        ["artisan", "vannier", "potier"],
        ["{Thing} de berger", "{Thing} des Cévennes", "Objet de la vie rurale à {commune}"],
        range(17, 21),
    ),
    "arts décoratifs": (
        ["assiette", "vase", "commode", "pendule", "plat", "chandelier"],
        ["faïence, grand feu", "porcelaine dure", "noyer, marqueterie", "bronze doré", "étain"],
        ["faïencier", "ébéniste", "orfèvre"],
        ["{Thing} aux armes de {person}", "Vase de {commune}", "Plat à décor de {scene}"],
        range(16, 21),
    ),
    "photographie": (
        ["photographie", "tirage", "négatif"],
        ["épreuve sur papier albuminé", "gélatino-bromure d'argent", "collodion sur verre"],
        ["photographe"],
        ["Vue de {commune}", "Portrait de {person}", "Les vendanges à {commune}"],
        range(19, 21),
    ),
}
THINGS = "coupe amphore lampe vase cruche assiette plat fibule monnaie gobelet".split()
SCENES = (
    "chasse bataille moisson vendange fête baptême mariage procession marché foire pêche"
).split()
VIRTUES = "Justice Prudence Force Tempérance Charité Foi Espérance".split()
SAINTS = "Roch Martin Jacques Pierre Paul Michel Sébastien Jean-Baptiste Fulcran".split()
ADJECTIVES = (
    "remarquable soigné précieux rare fragile restauré lacunaire complet orné sobre élégant"
).split()
DESCRIPTION_TEMPLATES = [
    "{Deno} {adjective} en {technique}, {adjective2}. Décor de {scene} sur la face principale.",
    "{Deno} {adjective} ; inscription au revers. Provenance : {commune}.",
    "{Deno} représentant une scène de {scene}, traitée de façon {adjective}.",
    "{Deno} {adjective}, {adjective2}, d'un type courant dans la région de {commune}.",
]
ACQUISITION_MODES = ["achat", "don", "legs", "dation", "dépôt de l'État", "acquis"]
QUARTERS = ["1er quart", "2e quart", "3e quart", "4e quart", "1ère moitié", "2e moitié",
            "milieu", "fin", "début", ""]  # fmt: skip


def _century(n: int) -> str:
    if n <= 0:
        return {0: "Ier siècle av J.C.", -1: "IIe siècle av J.C.", -2: "IIIe siècle av J.C."}[n]
    return f"{n}e siècle"


def _comma(number: float) -> str:
    return f"{number:g}".replace(".", ",")


def generate_notices(count: int, *, seed: int, museofile_ids: list[str]) -> Iterator[dict]:
    """`count` Joconde notices as {code: text}, deterministic for a seed, over these museums."""
    rng = random.Random(seed)
    domains = list(DOMAINS)
    people = [f"{rng.choice(SURNAMES).upper()} {rng.choice(FIRST_NAMES)}" for _ in range(3000)]
    for index in range(count):
        domain = rng.choice(domains)
        denominations, techniques, roles, titles, centuries = DOMAINS[domain]
        museum = museofile_ids[index % len(museofile_ids)]
        departement, commune = rng.choice(COMMUNES)
        century = rng.choice(centuries)
        quarter = rng.choice(QUARTERS) if century > 0 else ""
        period = f"{quarter} {_century(century)}".strip()
        denomination = rng.choice(denominations)
        technique = rng.choice(techniques)
        person = rng.choice(people)
        words = {
            "person": person.title(),
            "commune": commune,
            "things": rng.choice(THINGS) + "s",
            "thing": rng.choice(THINGS),
            "Thing": rng.choice(THINGS).capitalize(),
            "scene": rng.choice(SCENES),
            "virtue": rng.choice(VIRTUES),
            "saint": rng.choice(SAINTS),
            "Deno": denomination.capitalize(),
            "adjective": rng.choice(ADJECTIVES),
            "adjective2": rng.choice(ADJECTIVES),
            "technique": technique,
        }
        year = rng.randint(1850, 2023)
        notice = {
            "REF": f"G{seed % 1000:03d}{index:09d}",
            "MUSEO": museum,
            "INV": f"{year}.{index // 100}.{index % 100 + 1}",
            "DOMN": domain if rng.random() < 0.7 else f"{domain} ; {rng.choice(domains)}",
            "DENO": denomination,
            "TITR": rng.choice(titles).format(**words),
            "PERI": period,
            "TECH": technique,
            "DESC": rng.choice(DESCRIPTION_TEMPLATES).format(**words),
            "LIEUX": f"France, Occitanie, {departement}, {commune} (lieu de création)",
            "DACQ": f"{year} {rng.choice(ACQUISITION_MODES)}",
            "LOCA": f"{commune} ; musée",
        }
        if rng.random() < 0.8:
            author = f"{person} ({rng.choice(roles)})"
        else:
            author = f"anonyme ({roles[0]})"
        if rng.random() < 0.2:
            author += f" ; {rng.choice(people)} ({rng.choice(roles)})"
        notice["AUTR"] = author
        if century >= 15 and rng.random() < 0.4:
            start = max(100 * (century - 1), 1400) + rng.randint(0, 89)
            notice["MILL"] = (
                f"{start} entre,{start + 10} et" if rng.random() < 0.5 else f"{start} vers"
            )
        height, width = rng.randint(2, 3000) / 10, rng.randint(2, 3000) / 10
        notice["DIMS"] = rng.choice(
            [
                f"Hauteur en cm {height} ; Largeur en cm {width}",
                f"H. {_comma(height)} cm, D. {_comma(width)} cm",
                f"Hauteur en cm {height} ; Longueur en cm {width} ; Epaisseur en cm 2",
                f"h. {_comma(round(height / 100, 2))} m ; l. {width * 10:.0f} mm",
            ]
        )
        if rng.random() < 0.3:
            notice["INSC"] = rng.choice(["signature", "date", "estampille", "monogramme"])
        if rng.random() < 0.2:
            notice["REFIM"] = f"{museum}_{index:07d}_P.JPG,DS1,,{index:07d}.JPG"
        yield notice


def notice_as_text(notice: dict) -> str:
    """One notice in the Joconde text format: code line, value line, then `//`."""
    lines = []
    for code, value in notice.items():
        lines += [code, value]
    lines.append("//")
    return "\n".join(lines) + "\n"


def generate_records(count: int, *, seed: int, museofile_ids: list[str]):
    """The same notices as WorkRecords, read by the Joconde text reader's own record builder."""
    from musees.catalogue.importers.joconde_txt import build_record

    line = 1
    for number, notice in enumerate(
        generate_notices(count, seed=seed, museofile_ids=museofile_ids), 1
    ):
        yield build_record(notice, number=number, line=line, default_museofile_id=None)
        line += 2 * len(notice) + 1


def default_museofile_ids() -> list[str]:
    """The Muséofile ids of every live museum, in order."""
    return list(
        MuseumPage.objects.live()
        .exclude(museofile_id__isnull=True)
        .exclude(museofile_id="")
        .order_by("museofile_id")
        .values_list("museofile_id", flat=True)
    )


class Command(BaseCommand):
    """Generate N invented works across the museums, imported directly or written to a file."""

    help = _(
        "Génère N notices d'œuvres inventées (pour les mesures de performance), réparties sur "
        "les musées de la base : importées directement ou écrites dans un fichier Joconde."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help=_("Nombre de notices"))
        parser.add_argument("--seed", type=int, default=1, help=_("Graine du hasard"))
        parser.add_argument(
            "--museums",
            help=_("Identifiants Muséofile séparés par des virgules (défaut : musées publiés)"),
        )
        parser.add_argument("--output", help=_("Écrire les notices dans ce fichier"))
        parser.add_argument(
            "--format", default="joconde-txt", choices=["joconde-txt"], help=_("Format du fichier")
        )
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, **options):
        if options["count"] < 0:
            raise CommandError(_("Le nombre de notices doit être positif."))
        if options["museums"]:
            museofile_ids = [m.strip().upper() for m in options["museums"].split(",") if m.strip()]
        else:
            museofile_ids = default_museofile_ids()
        if not museofile_ids:
            raise CommandError(
                _("Aucun musée publié avec un identifiant Muséofile : chargez d'abord des musées.")
            )
        started = time.monotonic()
        if options["output"]:
            notices = generate_notices(
                options["count"], seed=options["seed"], museofile_ids=museofile_ids
            )
            with open(options["output"], "w", encoding="utf-8", newline="\n") as out:
                for notice in notices:
                    out.write(notice_as_text(notice))
            self.stdout.write(
                _("%(count)d notices écrites dans %(path)s en %(seconds).1f s.")
                % {
                    "count": options["count"],
                    "path": options["output"],
                    "seconds": time.monotonic() - started,
                }
            )
            return
        known = set(
            MuseumPage.objects.filter(museofile_id__in=museofile_ids).values_list(
                "museofile_id", flat=True
            )
        )
        unknown = sorted(set(museofile_ids) - known)
        if unknown:
            raise CommandError(_("Musées inconnus : %(ids)s") % {"ids": ", ".join(unknown)})
        report = works_import(
            records=generate_records(
                options["count"], seed=options["seed"], museofile_ids=museofile_ids
            ),
            batch_size=options["batch_size"],
            source_format="generated",
        )
        self.stdout.write(report.summary())
        self.stdout.write(
            _("Durée : %(seconds).1f s (%(rate)d notices/s).")
            % {"seconds": report.elapsed, "rate": report.processed / max(report.elapsed, 1e-6)}
        )
