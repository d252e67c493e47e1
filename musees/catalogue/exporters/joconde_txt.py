"""Joconde text writer: the "ajout piloté" field-coded format of the national catalogue.

Format: Joconde / DMF import text, as read by the POP platform (Ministère de la Culture):
https://github.com/betagouv/pop/blob/master/apps/api/doc/joconde.md. Each field is its code
alone on a line then its value; ` ; ` separates repeated values, `#` stands for a line break
inside a value, a line longer than 80 characters is wrapped with ` -` at its end, `//` closes
each record. UTF-8 with CRLF line ends, like the official files.
"""

from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath

LINE_WIDTH = 80
CRLF = "\r\n"
CONTINUED = " -"

# Text fields of `Work` by Joconde code, in the order of the official notices.
TEXT_FIELDS = [
    ("APPL", "appellation"),
    ("TITR", "title"),
    ("PAUT", "author_details"),
    ("ATTR", "former_attributions"),
    ("ECOL", "school"),
    ("MILL", "millesime_text"),
    ("EPOQ", "epoch"),
    ("DIMS", "dimensions_text"),
    ("PLIEUX", "place_details"),
    ("GEOHI", "historical_geography"),
    ("GENE", "genesis"),
    ("INSC", "inscriptions"),
    ("PINS", "inscription_details"),
    ("DESC", "description"),
    ("ONOM", "onomastics"),
    ("REPR", "subject"),
    ("PREP", "subject_details"),
    ("DREP", "subject_date"),
    ("UTIL", "use"),
    ("PUTI", "use_details"),
    ("PERU", "use_period"),
    ("HIST", "history"),
    ("DECV", "discovery"),
    ("PDEC", "discovery_details"),
    ("NSDA", "site_number"),
    ("STAT", "legal_status"),
    ("DACQ", "acquisition_text"),
    ("APTN", "former_owner"),
    ("DEPO", "deposit"),
    ("DDPT", "deposit_date"),
    ("LOCA", "location"),
    ("EXPO", "exhibitions"),
    ("BIBL", "bibliography"),
    ("COMM", "comments"),
    ("REDA", "record_authors"),
    ("PHOT", "photo_credits"),
    ("COPY", "copyright_notice"),
]


def _labels(related) -> str:
    return " ; ".join(term.label for term in related.all())


def image_file_name(work_image) -> str:
    """The name of an image's master file as stored, which `import_works --images-dir` finds.

    Joconde names images by file (REFIM) and gives their credits once per notice (PHOT, COPY),
    so a re-import gives each image the notice's credits; the format has no licence field.
    """
    return PurePosixPath(work_image.image.file.name).name


def work_fields(work) -> list[tuple[str, str]]:
    """The (code, value) pairs of one work, in notice order, empty values left out."""
    authors = work.authors_text or " ; ".join(
        f"{a.person.label} ({a.role})" if a.role else a.person.label
        for a in work.work_authors.all()
    )
    creation_places = [p for p in work.work_places.all() if p.role == "creation"]
    pairs = [
        ("REF", work.joconde_ref or ""),
        ("INV", work.inventory_number),
        ("MUSEO", work.museum.museofile_id or ""),
        ("DOMN", _labels(work.domains)),
        ("DENO", _labels(work.denominations)),
        ("AUTR", authors),
        ("PERI", work.periods_text or _labels(work.periods)),
        ("TECH", work.techniques_text or _labels(work.techniques)),
        ("LIEUX", work.places_text or " ; ".join(p.place.label for p in creation_places)),
    ]
    pairs += [(code, getattr(work, name)) for code, name in TEXT_FIELDS]
    pairs.append(("REFIM", " ; ".join(image_file_name(image) for image in work.images.all())))
    pairs.append(("WWW", work.links))
    return [(code, value.strip()) for code, value in pairs if value and value.strip()]


def wrap(line: str, width: int = LINE_WIDTH) -> list[str]:
    """A value line cut at spaces into lines of at most `width` characters, ` -` continued.

    A reader joins `abc -` and `def` back into `abc def`. A word longer than the width stays
    whole: cutting inside it would add a space on reading.
    """
    lines = []
    while len(line) > width:
        cut = line.rfind(" ", 1, width - len(CONTINUED) + 1)
        if cut <= 0:
            cut = line.find(" ", width)
            if cut == -1:
                break
        head, line = line[:cut].rstrip(), line[cut:].lstrip()
        if not head or not line:
            line = f"{head} {line}".strip()
            break
        lines.append(head + CONTINUED)
    lines.append(line)
    return lines


def format_value(code: str, value: str) -> list[str]:
    """The physical lines of one value: line breaks as `#` (one URL a line for WWW), wrapped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if code == "WWW":
        logical = [url.strip() for url in value.split("\n") if url.strip()]
    else:
        logical = ["#".join(part.strip() for part in value.split("\n"))]
    return [physical for line in logical for physical in wrap(line)]


def export_work(work) -> str:
    """One Joconde notice, `//` included, with CRLF line ends."""
    lines = []
    for code, value in work_fields(work):
        lines.append(code)
        lines.extend(format_value(code, value))
    lines.append("//")
    return CRLF.join(lines) + CRLF


def export_joconde_txt(works: Iterable) -> Iterator[bytes]:
    """The Joconde text of works (museum and related rows prefetched), one notice a chunk."""
    for work in works:
        yield export_work(work).encode("utf-8")
