"""What the public pages of the catalogue show, computed from works already loaded.

No function here writes; none queries beyond the relations `WorkQuerySet.detail_queryset()`
prefetches. The IIIF addresses follow the project's IIIF Image API 3.0 service
(https://iiif.io/api/image/3.0/) and Presentation API 3.0 manifests
(https://iiif.io/api/presentation/3.0/), served under /iiif/3/.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from musees.core import jsonld

from .models import Work, WorkImage, WorkPlace, quote_inventory

# Domains (by slug) whose works are visual artworks for schema.org; the others are CreativeWork.
VISUAL_ART_DOMAINS = {
    "peinture",
    "dessin",
    "estampe",
    "sculpture",
    "photographie",
    "arts-graphiques",
    "art-contemporain",
    "art-moderne",
    "beaux-arts",
    "miniature",
    "enluminure",
    "vitrail",
    "mosaique",
    "tapisserie",
}
# Widths of the still image (srcset); never more than the master's own width.
STILL_WIDTHS = [480, 800, 1200, 1600]
POP_NOTICE_URL = "https://www.pop.culture.gouv.fr/notice/joconde/{ref}"


# --- IIIF addresses ---------------------------------------------------------------------------


def iiif_image_base(image_id: int) -> str:
    """The IIIF Image API base URI of an image (the Wagtail image's id, WorkImage.image_id)."""
    return f"/iiif/3/{image_id}"


def iiif_info_url(image_id: int) -> str:
    """The info.json of a work image, which OpenSeadragon reads."""
    return f"{iiif_image_base(image_id)}/info.json"


def iiif_image_url(image_id: int, size: str = "max") -> str:
    """A whole image at an IIIF size ("max", "800,")."""
    return f"{iiif_image_base(image_id)}/full/{size}/0/default.jpg"


def iiif_manifest_url(work: Work) -> str:
    """The IIIF Presentation 3 manifest of a work."""
    return (
        f"/iiif/3/manifests/{work.museum.slug}/{quote_inventory(work.inventory_number)}"
        "/manifest.json"
    )


def still_image(work_image: WorkImage, max_width: int = 1600) -> dict:
    """The <img> of a work image without JavaScript: src, srcset, width and height."""
    master_width = work_image.image.width or 0
    master_height = work_image.image.height or 0
    widths = [w for w in STILL_WIDTHS if w <= min(master_width, max_width)]
    if not widths:
        widths = [master_width] if master_width else []
    srcset = ", ".join(f"{iiif_image_url(work_image.image_id, f'{w},')} {w}w" for w in widths)
    width = widths[min(1, len(widths) - 1)] if widths else 0
    height = round(master_height * width / master_width) if master_width else 0
    if widths == [master_width]:
        src = iiif_image_url(work_image.image_id, "max")
        srcset = ""
    else:
        src = iiif_image_url(work_image.image_id, f"{width},")
    return {"src": src, "srcset": srcset, "width": width, "height": height}


def card_image_url(image_id: int) -> str:
    """The thumbnail of a card (a 480 px wide image, cropped by CSS)."""
    return iiif_image_url(image_id, "480,")


# --- Links into the collections list ------------------------------------------------------------


def collections_url(**params) -> str:
    """/collections/ with filters (musee, domaine, periode, auteur...)."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    url = reverse("catalogue:search")
    return f"{url}?{query}" if query else url


def ordinal_label(number: int) -> str:
    """An ordinal number in the active language ("1er", "2e" in French; "1st", "22nd" in English).

    English endings depend on the last digit (but 11th-13th), French ones only on 1: each case
    is its own translatable string so that every language can say it right.
    """
    if number == 1:
        template = pgettext("ordinal", "%(n)der")
    elif number % 10 == 1 and number % 100 != 11:
        template = pgettext("ordinal ending in 1", "%(n)de")
    elif number % 10 == 2 and number % 100 != 12:
        template = pgettext("ordinal ending in 2", "%(n)de")
    elif number % 10 == 3 and number % 100 != 13:
        template = pgettext("ordinal ending in 3", "%(n)de")
    else:
        template = _("%(n)de")
    return template % {"n": number}


def century_label(century: int) -> str:
    """ "19e siècle", "1er siècle", "3e siècle av. J.-C."."""
    number = abs(century)
    ordinal = ordinal_label(number)
    if century < 0:
        return _("%(ordinal)s siècle av. J.-C.") % {"ordinal": ordinal}
    return _("%(ordinal)s siècle") % {"ordinal": ordinal}


# --- The work page: fields grouped as a curator reads them --------------------------------------


@dataclass
class Field:
    """One line of a group: a label and either a text or a list of items ({text, url, note})."""

    label: str
    text: str = ""
    items: list[dict] = field(default_factory=list)
    note: str = ""

    def __bool__(self):
        return bool(self.text or self.items)


@dataclass
class Group:
    """A titled part of the record (Identification, Création...), with its non-empty fields."""

    key: str
    title: str
    fields: list[Field]


GROUP_TITLES = {
    "identification": gettext_lazy("Identification"),
    "creation": gettext_lazy("Création"),
    "description": gettext_lazy("Description"),
    "history": gettext_lazy("Historique et provenance"),
    "references": gettext_lazy("Bibliographie et expositions"),
    "rights": gettext_lazy("Droits et crédits"),
}


def split_blocks(text: str) -> list[str]:
    """Joconde repeated blocks ("#" between them) as separate items."""
    return [part.strip() for part in re.split(r"\s*#\s*", text or "") if part.strip()]


def format_cm(value: float) -> str:
    """A length in centimetres as French writes it: "69,5 cm"."""
    digits = f"{value:.2f}".rstrip("0").rstrip(".")
    return _("%(value)s cm") % {"value": digits.replace(".", get_format("DECIMAL_SEPARATOR"))}


def parsed_dimensions(work: Work) -> str:
    """The dimensions read from the text: "hauteur 21 cm · largeur 69,5 cm"."""
    parts = [
        (_("hauteur"), work.height_cm),
        (_("largeur"), work.width_cm),
        (_("profondeur"), work.depth_cm),
        (_("diamètre"), work.diameter_cm),
    ]
    return " · ".join(f"{label} {format_cm(value)}" for label, value in parts if value is not None)


def _places(work: Work, role: str) -> list[dict]:
    return [{"text": link.place.label} for link in work.work_places.all() if link.role == role]


def _text(label, value) -> Field:
    return Field(str(label), text=(value or "").strip())


def _authors(work: Work) -> list[dict]:
    items = []
    for link in work.work_authors.all():
        details = ", ".join(part for part in [link.role, link.person.dates] if part)
        items.append(
            {
                "text": link.person.label,
                "url": collections_url(auteur=link.person.slug),
                "note": details,
                "title": _("Toutes les œuvres de %(name)s") % {"name": link.person.label},
            }
        )
    return items


def work_groups(work: Work) -> list[Group]:
    """The record's non-empty fields, grouped and ordered as a curator reads a notice."""
    domains = [
        {"text": d.label, "url": collections_url(domaine=d.slug)} for d in work.domains.all()
    ]
    denominations = [{"text": d.label} for d in work.denominations.all()]
    periods = [{"text": p.label} for p in work.periods.all()]
    techniques = [{"text": t.label} for t in work.techniques.all()]
    authors = _authors(work)
    creation_places = _places(work, WorkPlace.Role.CREATION)
    use_places = _places(work, WorkPlace.Role.USE)
    discovery_places = _places(work, WorkPlace.Role.DISCOVERY)
    ref_items = (
        [{"text": work.joconde_ref, "url": POP_NOTICE_URL.format(ref=work.joconde_ref)}]
        if work.joconde_ref
        else []
    )

    groups = [
        Group(
            "identification",
            GROUP_TITLES["identification"],
            [
                Field(_("Titre"), items=[{"text": t} for t in split_blocks(work.title)]),
                _text(_("Appellation"), work.appellation),
                Field(_("Dénominations"), items=denominations),
                Field(_("Domaines"), items=domains),
                _text(_("Numéro d'inventaire"), work.inventory_number),
                Field(_("Référence Joconde"), items=ref_items),
            ],
        ),
        Group(
            "creation",
            GROUP_TITLES["creation"],
            [
                Field(_("Auteurs"), items=authors)
                if authors
                else _text(_("Auteurs"), work.authors_text),
                _text(_("Précisions sur l'auteur"), work.author_details),
                _text(_("Anciennes attributions"), work.former_attributions),
                _text(_("École"), work.school),
                _text(_("Période"), work.periods_text)
                if work.periods_text
                else Field(_("Période"), items=periods),
                _text(_("Millésime"), work.millesime_text),
                _text(_("Époque, style, mouvement"), work.epoch),
                Field(_("Lieu de création"), items=creation_places)
                if creation_places
                else _text(_("Lieu de création"), work.places_text),
                _text(_("Précisions sur le lieu"), work.place_details),
                _text(_("Géographie historique"), work.historical_geography),
                _text(_("Genèse"), work.genesis),
                _text(_("Matériaux et techniques"), work.techniques_text)
                if work.techniques_text
                else Field(_("Matériaux et techniques"), items=techniques),
                Field(
                    _("Mesures"),
                    text=work.dimensions_text.strip(),
                    note=parsed_dimensions(work) if work.dimensions_text.strip() else "",
                ),
            ],
        ),
        Group(
            "description",
            GROUP_TITLES["description"],
            [
                _text(_("Description"), work.description),
                _text(_("Inscriptions"), work.inscriptions),
                _text(_("Précisions sur les inscriptions"), work.inscription_details),
                _text(_("Sujet représenté"), work.subject),
                _text(_("Précisions sur le sujet représenté"), work.subject_details),
                _text(_("Date du sujet représenté"), work.subject_date),
                _text(_("Onomastique"), work.onomastics),
                _text(_("Utilisation, destination"), work.use),
                _text(_("Précisions sur l'utilisation"), work.use_details),
                _text(_("Période d'utilisation"), work.use_period),
                Field(_("Lieu d'utilisation"), items=use_places),
                _text(_("Commentaires"), work.comments),
            ],
        ),
        Group(
            "history",
            GROUP_TITLES["history"],
            [
                _text(_("Historique"), work.history),
                _text(_("Découverte, collecte"), work.discovery),
                Field(_("Lieu de découverte"), items=discovery_places),
                _text(_("Précisions sur la découverte"), work.discovery_details),
                _text(_("Numéro de site"), work.site_number),
                _text(_("Mode et date d'acquisition"), work.acquisition_text),
                _text(_("Ancienne appartenance"), work.former_owner),
                _text(_("Dépôt"), work.deposit),
                _text(_("Date de dépôt"), work.deposit_date),
                _text(_("Statut juridique"), work.legal_status),
                _text(_("Localisation"), work.location),
            ],
        ),
        Group(
            "references",
            GROUP_TITLES["references"],
            [
                Field(
                    _("Bibliographie"),
                    items=[{"text": t} for t in split_blocks(work.bibliography)],
                ),
                Field(
                    _("Expositions"), items=[{"text": t} for t in split_blocks(work.exhibitions)]
                ),
                Field(
                    _("Liens"),
                    items=[
                        {"text": url, "url": url}
                        for url in (line.strip() for line in work.links.splitlines())
                        if url.startswith(("http://", "https://"))
                    ],
                ),
                _text(_("Rédacteurs de la notice"), work.record_authors),
            ],
        ),
        Group(
            "rights",
            GROUP_TITLES["rights"],
            [
                _text(_("Copyright"), work.copyright_notice),
                _text(_("Crédits photographiques"), work.photo_credits),
                Field(_("Images"), items=_image_rights(work)),
            ],
        ),
    ]
    for group in groups:
        group.fields = [f for f in group.fields if f]
    return [group for group in groups if group.fields]


def _image_rights(work: Work) -> list[dict]:
    items = []
    images = list(work.images.all())
    for number, image in enumerate(images, start=1):
        name = image.caption or image.alt_text or _("Image %(n)d") % {"n": number}
        items.append(
            {
                "text": name,
                "note": image.credit_line,
                "licence": image.get_licence_display(),
                "licence_url": image.licence_url,
            }
        )
    return items


def first_denomination(work: Work) -> str:
    """The first denomination of a work whose denominations are prefetched ("" if none)."""
    return next((d.label for d in work.denominations.all()), "")


def work_subtitle(work: Work) -> str:
    """What the page says under the title: denominations, then dates ("robe · 1er quart...")."""
    denominations = ", ".join(d.label for d in work.denominations.all())
    when = work.millesime_text or work.periods_text
    heading = work_heading(work, first_denomination(work)).lower()
    parts = [denominations if denominations.lower() != heading else "", when]
    return " · ".join(part for part in parts if part)


def work_heading(work, denomination: str = "") -> str:
    """What names a work in a heading: its title or appellation, else what it is ("Gilet"),
    else its inventory number (Joconde records often have no title)."""
    return capfirst(
        work.title
        or work.appellation
        or denomination
        or getattr(work, "card_denomination", None)
        or work.inventory_number
    )


def monogram(work, denomination: str = "") -> str:
    """The letter standing for a work without image: its denomination's, else its title's."""
    text = denomination or getattr(work, "card_denomination", None) or work.display_title or "?"
    for char in text:
        if char.isalnum():
            return char.upper()
    return "?"


# --- schema.org JSON-LD -----------------------------------------------------------------------


def schema_type(work: Work) -> str:
    """VisualArtwork for the domains of the visual arts, CreativeWork for everything else."""
    if any(domain.slug in VISUAL_ART_DOMAINS for domain in work.domains.all()):
        return "VisualArtwork"
    return "CreativeWork"


def date_created(work: Work) -> str:
    """An ISO 8601 year ("1856") or interval ("1800/1825") when known, else the record's text."""
    if work.year_start is not None and 0 <= work.year_start <= 9999:
        end = work.year_end if work.year_end is not None else work.year_start
        if end == work.year_start:
            return f"{work.year_start:04d}"
        if 0 <= end <= 9999:
            return f"{work.year_start:04d}/{end:04d}"
    return work.millesime_text or work.periods_text


def _length(value: float | None) -> dict | None:
    if value is None:
        return None
    return {"@type": "QuantitativeValue", "value": value, "unitCode": "CMT"}


def work_jsonld(work: Work, request) -> dict:
    """The schema.org VisualArtwork or CreativeWork node of a work page."""
    url = request.build_absolute_uri(work.get_absolute_url())
    museum_url = request.build_absolute_uri(work.museum.get_url(request))
    kind = schema_type(work)
    creation_places = [p["text"] for p in _places(work, WorkPlace.Role.CREATION)]
    if not creation_places and work.places_text:
        creation_places = [work.places_text]
    techniques = [t.label for t in work.techniques.all()] or (
        [work.techniques_text] if work.techniques_text else []
    )
    identifiers = [
        {
            "@type": "PropertyValue",
            "propertyID": "inventaire",
            "name": _("Numéro d'inventaire"),
            "value": work.inventory_number,
        }
    ]
    if work.joconde_ref:
        identifiers.append(
            {
                "@type": "PropertyValue",
                "propertyID": "Joconde",
                "value": work.joconde_ref,
                "url": POP_NOTICE_URL.format(ref=work.joconde_ref),
            }
        )
    data = {
        "@context": jsonld.SCHEMA_CONTEXT,
        "@type": kind,
        "@id": f"{url}#oeuvre",
        "name": work_heading(work, first_denomination(work)),
        "alternateName": work.appellation if work.title and work.appellation else "",
        "url": url,
        "description": work.description,
        "identifier": identifiers,
        "creator": [
            {"@type": "Person", "name": link.person.label} for link in work.work_authors.all()
        ],
        "dateCreated": date_created(work),
        "locationCreated": [{"@type": "Place", "name": name} for name in creation_places],
        "keywords": [d.label for d in work.denominations.all()],
        "provider": {
            "@type": "Museum",
            "@id": f"{museum_url}#musee",
            "name": work.museum.display_name,
            "url": museum_url,
        },
        "copyrightNotice": work.copyright_notice,
        "creditText": work.photo_credits,
        "image": [
            {
                "@type": "ImageObject",
                "contentUrl": request.build_absolute_uri(iiif_image_url(image.image_id)),
                "caption": image.caption or image.alt_text,
                "license": image.licence_url,
                "creditText": image.credit_line,
                "copyrightNotice": image.copyright_line,
            }
            for image in work.images.all()
        ],
    }
    domains = [d.label for d in work.domains.all()]
    if kind == "VisualArtwork":
        data["artform"] = domains
        data["artMedium"] = techniques
        data["height"] = _length(work.height_cm)
        data["width"] = _length(work.width_cm)
        data["depth"] = _length(work.depth_cm)
    else:
        data["genre"] = domains
        data["material"] = techniques
        data["size"] = work.dimensions_text
    return jsonld.compact(data)


def home_url() -> str:
    """The home page in the current language ("/" in French, "/en/" in English)."""
    language = get_language() or settings.LANGUAGE_CODE
    return "/" if language == settings.LANGUAGE_CODE else f"/{language}/"


def breadcrumbs(work: Work, request, museums_index) -> list[dict]:
    """Accueil › Musées › <museum> › <work>, as {title, url} (the last one is the page)."""
    trail = [{"title": _("Accueil"), "url": home_url()}]
    if museums_index is not None:
        trail.append({"title": museums_index.title, "url": museums_index.get_url(request)})
    trail.append({"title": work.museum.display_name, "url": work.museum.get_url(request)})
    trail.append(
        {"title": work_heading(work, first_denomination(work)), "url": work.get_absolute_url()}
    )
    return trail


def breadcrumb_jsonld(trail: list[dict], request) -> dict:
    """The schema.org BreadcrumbList of a trail from `breadcrumbs()`."""
    return jsonld.breadcrumb_list(
        [(crumb["title"], request.build_absolute_uri(crumb["url"])) for crumb in trail]
    )
