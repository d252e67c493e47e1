"""LIDO XML 1.0 and 1.1 parser: one `WorkRecord` per `lido:lido` element.

Specification: LIDO (Lightweight Information Describing Objects) v1.0 and v1.1, ICOM-CIDOC,
http://www.lido-schema.org (schema: http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd).

The file is read as a stream (`lxml.etree.iterparse`, each record freed once read), so memory
stays flat on a file of any size. The parser is safe on untrusted files: no DTD loading, no
entity expansion, no network.
"""

import re
from collections.abc import Iterator

from django.utils.translation import gettext as _
from lxml import etree

from .base import RecordParser
from .errors import CatalogueFileError
from .joconde_txt import IGNORED, JOCONDE_FIELDS
from .records import AuthorRecord, ImageRecord, PlaceRecord, RecordError, WorkRecord

LIDO_NS = "http://www.lido-schema.org"
L = f"{{{LIDO_NS}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

MUSEOFILE_ID = re.compile(r"^M\d{4}$")
URL = re.compile(r"^https?://", re.IGNORECASE)

# Event types are free terms in LIDO; these are the ones the LIDO terminology and real exports
# (English, French, German, Romanian) use. Compared lower-cased.
PRODUCTION_EVENTS = {
    "production",
    "creation",
    "création",
    "fabrication",
    "design",
    "conception",
    "herstellung",
    "entwurf",
    "producție",
    "creație",
}
DISCOVERY_EVENTS = {
    "finding": "découverte",
    "find": "découverte",
    "découverte": "découverte",
    "excavation": "fouille",
    "fouille": "fouille",
    "collecting": "collecte",
    "collecte": "collecte",
    "fund": "découverte",
    "descoperire": "découverte",
}
ACQUISITION_EVENTS = {"acquisition", "achat", "purchase", "erwerb", "erwerbung", "achiziție"}

# LIDO measurement types (English, the LIDO terminology) as Joconde writes them in DIMS.
MEASUREMENT_LABELS = {
    "height": "Hauteur",
    "width": "Largeur",
    "depth": "Profondeur",
    "diameter": "Diamètre",
    "length": "Longueur",
    "thickness": "Épaisseur",
    "weight": "Poids",
    "circumference": "Circonférence",
}

# Records whose elements name their Joconde field in `lido:encodinganalog` (our exporter's).
JOCONDE_ENCODING = "Joconde"
# Joconde code -> Work text field, for coded text elements (terms go to the vocabularies).
JOCONDE_TEXT_FIELDS = {
    code: {"periods": "periods_text", "techniques": "techniques_text"}.get(target, target)
    for code, target in JOCONDE_FIELDS.items()
    if target not in (IGNORED, "joconde_ref", "inventory_number", "museofile_id")
    and target not in ("domains", "denominations", "images")
} | {"AUTR": "authors_text", "LIEUX": "places_text"}
# Codes whose `term` elements are vocabulary values (their verbatim text is another element).
JOCONDE_TERMS = {"DOMN", "DENO", "PERI", "TECH"}
# Event types of our exporter, and the role of their places.
JOCONDE_PRODUCTION = "Production"
JOCONDE_PLACE_ROLES = {"Production": "creation", "Utilisation": "use", "Découverte": "discovery"}

ERROR_NOT_LIDO = "Ce fichier n'est pas un fichier LIDO : son élément racine est « %(tag)s »."
ERROR_NOT_XML = "Ce fichier n'est pas un fichier XML lisible (ligne %(line)s) : %(error)s"
ERROR_MALFORMED = "XML mal formé à la ligne %(line)s : %(error)s"
ERROR_NO_INVENTORY = "numéro d'inventaire manquant (notice LIDO « %(id)s »)"
WARNING_DTD = "Le fichier déclare une DTD : ses entités ne sont pas développées (sécurité)."
FIELD_INVENTORY = "repositorySet/workID"


def _localname(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


# XPath string(): the text of the element and its descendants, without entity references
# (itertext() would give an unexpanded "&name;" as text).
_STRING = etree.XPath("string()")


def _text(element) -> str:
    """The element's text content, whitespace collapsed (entity references are left out)."""
    if element is None:
        return ""
    return " ".join(_STRING(element).split())


def _children(element, name: str) -> list:
    return [] if element is None else element.findall(L + name)


def _path(element, path: str) -> list:
    """Descendants along a slash-separated path of LIDO local names."""
    if element is None:
        return []
    return element.findall("/".join(L + step for step in path.split("/")))


def _lang(element) -> str:
    """The element's language: its own xml:lang or the nearest ancestor's."""
    while element is not None:
        lang = element.get(XML_LANG)
        if lang:
            return lang.lower()
        element = element.getparent()
    return ""


def _pick(elements: list):
    """The preferred one of several variants: not an added search term, French if any, else first.

    LIDO repeats a value in several languages (xml:lang) and adds synonyms as
    `addedSearchTerm="yes"`; a French catalogue wants one label, in French when the file has it.
    """
    elements = [e for e in elements if _text(e)]
    if not elements:
        return None
    main = [e for e in elements if e.get(L + "addedSearchTerm") != "yes"] or elements
    preferred = [e for e in main if e.get(L + "pref") == "preferred"] or main
    for candidates in (preferred, main):
        for element in candidates:
            if _lang(element).startswith("fr"):
                return element
    return preferred[0]


def _pick_text(elements: list) -> str:
    return _text(_pick(elements))


def _concept_text(element) -> str:
    """The label of a LIDO concept (term children) or of mixed content (text directly)."""
    if element is None:
        return ""
    term = _pick_text(_children(element, "term"))
    if term:
        return term
    return " ".join((element.text or "").split())


def _pick_by_language(elements: list):
    """Of a block repeated per language (descriptiveMetadata...): the French one, or the first."""
    for element in elements:
        if _lang(element).startswith("fr"):
            return element
    return elements[0] if elements else None


def _exact(element) -> str:
    """The element's text content as written, only stripped (for fields our exporter coded)."""
    return "" if element is None else _STRING(element).strip()


def _join(values, separator: str = " ; ") -> str:
    return separator.join(v for v in dict.fromkeys(values) if v)


class LidoParser(RecordParser):
    """Read a LIDO 1.0 or 1.1 file (path, bytes or binary file) as `WorkRecord`s, streaming."""

    def _parse(self, stream) -> Iterator[WorkRecord | RecordError]:
        # Only end events, and no tag filter: the first event tells whether the root is LIDO
        # before the parser has read more than the first record's first element.
        context = etree.iterparse(
            stream,
            events=("end",),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
        )
        lido_tag = L + "lido"
        number = 0
        checked = False
        try:
            for _event, element in context:
                if not checked:
                    checked = True
                    self._check_root(element.getroottree().getroot())
                if element.tag != lido_tag:
                    continue
                number += 1
                yield self._record(element, number)
                # Free what is read: the record, and the siblings the root still holds.
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as error:
            line = error.lineno or (error.position[0] if error.position else 0)
            message = error.msg or str(error)
            if number == 0:
                raise CatalogueFileError(
                    _(ERROR_NOT_XML) % {"line": line, "error": message}
                ) from error
            yield RecordError(
                number=number + 1,
                line=line,
                field="",
                reason=_(ERROR_MALFORMED) % {"line": line, "error": message},
            )
            return
        if not checked:
            raise CatalogueFileError(_(ERROR_NOT_XML) % {"line": 1, "error": _("fichier vide")})
        if number == 0 and context.root is not None:
            self._check_root(context.root)

    def _check_root(self, root) -> None:
        if root is None or not isinstance(root.tag, str):
            return
        if etree.QName(root).namespace != LIDO_NS or _localname(root.tag) not in (
            "lidoWrap",
            "lido",
        ):
            raise CatalogueFileError(_(ERROR_NOT_LIDO) % {"tag": _localname(root.tag)})
        docinfo = root.getroottree().docinfo
        if (docinfo.internalDTD or docinfo.system_url) and _(WARNING_DTD) not in self.warnings:
            self.warnings.append(_(WARNING_DTD))

    def _record(self, lido, number: int) -> WorkRecord | RecordError:
        line = lido.sourceline or 0
        record_id = _text(lido.find(L + "lidoRecID"))
        descriptive = _pick_by_language(_children(lido, "descriptiveMetadata"))
        administrative = _pick_by_language(_children(lido, "administrativeMetadata"))
        identification = (
            descriptive.find(L + "objectIdentificationWrap") if descriptive is not None else None
        )

        inventory, museofile_id = self._repository(identification)
        if not inventory:
            return RecordError(
                number=number,
                line=line,
                field=FIELD_INVENTORY,
                reason=_(ERROR_NO_INVENTORY) % {"id": record_id or number},
            )
        record = WorkRecord(
            number=number,
            line=line,
            museofile_id=museofile_id or self.default_museofile_id,
            inventory_number=inventory,
        )
        fields = record.fields

        classification = (
            descriptive.find(L + "objectClassificationWrap") if descriptive is not None else None
        )
        record.denominations = [
            _pick_text(_children(work_type, "term"))
            for work_type in _path(classification, "objectWorkTypeWrap/objectWorkType")
        ]
        record.domains = [
            _pick_text(_children(c, "term"))
            for c in _path(classification, "classificationWrap/classification")
            # Europeana's media type (IMAGE, TEXT, 3D...) is not a collection domain.
            if (c.get(L + "type") or "").lower() != "europeana:type"
        ]
        record.denominations = list(dict.fromkeys(v for v in record.denominations if v))
        record.domains = list(dict.fromkeys(v for v in record.domains if v))

        titles = [
            _pick_text(_children(title_set, "appellationValue"))
            for title_set in _path(identification, "titleWrap/titleSet")
        ]
        titles = [t for t in dict.fromkeys(titles) if t]
        if titles:
            fields["title"] = titles[0]
        if len(titles) > 1:
            fields["appellation"] = _join(titles[1:])

        inscriptions = _path(identification, "inscriptionsWrap/inscriptions")
        fields["inscriptions"] = _join(
            _pick_text(_children(i, "inscriptionTranscription")) for i in inscriptions
        )
        fields["inscription_details"] = _join(
            _pick_text(_path(i, "inscriptionDescription/descriptiveNoteValue"))
            for i in inscriptions
        )
        fields["description"] = _join(
            (
                _pick_text(_children(s, "descriptiveNoteValue"))
                for s in _path(identification, "objectDescriptionWrap/objectDescriptionSet")
            ),
            "\n",
        )
        fields["dimensions_text"] = self._dimensions(identification)

        self._events(descriptive, record)

        subjects = []
        for subject_set in _path(descriptive, "objectRelationWrap/subjectWrap/subjectSet"):
            shown = _pick_text(_children(subject_set, "displaySubject"))
            if shown:
                subjects.append(shown)
                continue
            for subject in _children(subject_set, "subject"):
                subjects.extend(_concept_text(c) for c in _children(subject, "subjectConcept"))
        fields["subject"] = _join(subjects)
        # relatedWorksWrap is not imported: related records are other works, linked by the
        # catalogue's own pages (same author, domain, period), not by the source's identifiers.

        links = [record_id] if URL.match(record_id) else []
        if administrative is not None:
            links += [
                _text(link)
                for link in _path(administrative, "recordWrap/recordInfoSet/recordInfoLink")
            ]
            record.images = self._images(administrative)
        # A lidoRecID that is not a URL is the source system's key, not a Joconde REF: not kept.
        fields["links"] = _join((link for link in links if URL.match(link)), "\n")

        record.fields = {name: value for name, value in fields.items() if value}
        if lido.get(L + "relatedencoding") == JOCONDE_ENCODING:
            self._joconde(lido, record, descriptive, administrative)
        return record

    def _joconde(self, lido, record: WorkRecord, descriptive, administrative) -> None:
        """Restore a record whose elements name their Joconde field (`lido:encodinganalog`).

        Our exporter writes every field that way (`relatedencoding="Joconde"`): each coded text
        element is read verbatim, each coded term as a vocabulary value, so the record comes
        back exactly as it was imported; what LIDO structures (authors with their roles and
        dates, places by event, images) is read from its structure.
        """
        texts: dict[str, list[str]] = {}
        terms: dict[str, list[str]] = {}
        for element in lido.iter(L + "*"):
            code = element.get(L + "encodinganalog")
            if not code:
                continue
            is_term = code in JOCONDE_TERMS and _localname(element.tag) == "term"
            target = terms if is_term else texts
            target.setdefault(code, []).append(_exact(element))
        record.fields = {
            JOCONDE_TEXT_FIELDS[code]: "\n".join(v for v in values if v)
            for code, values in texts.items()
            if code in JOCONDE_TEXT_FIELDS and any(values)
        }
        record.domains = terms.get("DOMN", [])
        record.denominations = terms.get("DENO", [])
        record.periods = terms.get("PERI", [])
        record.techniques = terms.get("TECH", [])
        for published_id in _children(lido, "objectPublishedID"):
            if (published_id.get(L + "source") or "").lower() == "joconde":
                record.joconde_ref = _exact(published_id)
        record.authors, places = [], []
        for event in _path(descriptive, "eventWrap/eventSet/event"):
            kind = _exact(event.find(f"{L}eventType/{L}term"))
            role = JOCONDE_PLACE_ROLES.get(kind)
            if kind == JOCONDE_PRODUCTION:
                for actor_in_role in _path(event, "eventActor/actorInRole"):
                    author = self._author(actor_in_role, _exact)
                    if author:
                        record.authors.append(author)
            for event_place in _children(event, "eventPlace"):
                name = _exact(event_place.find(f"{L}place/{L}namePlaceSet/{L}appellationValue"))
                if name and role:
                    order = int(event_place.get(L + "sortorder") or 0)
                    places.append((order, PlaceRecord(name=name, role=role)))
        record.places = [place for _order, place in sorted(places, key=lambda p: p[0])]
        if administrative is not None:
            record.images = self._images(administrative, _exact)

    def _repository(self, identification) -> tuple[str, str]:
        """The inventory number (workID) and the Muséofile id of the holding museum, if any."""
        inventory = ""
        museofile_id = ""
        for repository in _path(identification, "repositoryWrap/repositorySet"):
            work_ids = [w for w in _children(repository, "workID") if _text(w)]
            typed = [w for w in work_ids if "invent" in (w.get(L + "type") or "").lower()]
            if not inventory and (typed or work_ids):
                inventory = _text((typed or work_ids)[0])
            for body_id in _path(repository, "repositoryName/legalBodyID"):
                if not museofile_id and MUSEOFILE_ID.match(_text(body_id)):
                    museofile_id = _text(body_id)
        return inventory, museofile_id

    def _dimensions(self, identification) -> str:
        """displayObjectMeasurements, or a Joconde-like text built from structured measurements."""
        sets = _path(identification, "objectMeasurementsWrap/objectMeasurementsSet")
        shown = [_pick_text(_children(s, "displayObjectMeasurements")) for s in sets]
        if any(shown):
            return _join(shown)
        parts = []
        for measurement in _path(
            identification,
            "objectMeasurementsWrap/objectMeasurementsSet/objectMeasurements/measurementsSet",
        ):
            kind = _concept_text(_pick(_children(measurement, "measurementType")))
            unit = _concept_text(_pick(_children(measurement, "measurementUnit")))
            value = _text(measurement.find(L + "measurementValue"))
            if not value:
                continue
            label = MEASUREMENT_LABELS.get(kind.lower(), kind[:1].upper() + kind[1:])
            parts.append(" ".join(p for p in (label, f"en {unit}" if unit else "", value) if p))
        return _join(parts)

    def _events(self, descriptive, record: WorkRecord) -> None:
        fields = record.fields
        authors_shown, dates, places_text, materials = [], [], [], []
        discoveries, acquisitions = [], []
        for event in _path(descriptive, "eventWrap/eventSet/event"):
            kind = _concept_text(event.find(L + "eventType"))
            kinds = {_text(t).lower() for t in _path(event, "eventType/term")} | {kind.lower()}
            date = self._date(event)
            places = [self._place(p) for p in _path(event, "eventPlace/place")]
            place_names = [
                _pick_text(_children(ep, "displayPlace")) for ep in _children(event, "eventPlace")
            ]
            place_names = [
                shown or (places[i][1] if i < len(places) else "")
                for i, shown in enumerate(place_names)
            ]
            if kinds & PRODUCTION_EVENTS:
                for actor_in_role in _path(event, "eventActor/actorInRole"):
                    author = self._author(actor_in_role)
                    if author:
                        record.authors.append(author)
                authors_shown += [
                    _pick_text(_children(ea, "displayActorInRole"))
                    for ea in _children(event, "eventActor")
                ]
                if date:
                    dates.append(date)
                record.places += [PlaceRecord(name=name) for name, _full in places if name]
                places_text += place_names
                for materials_tech in _children(event, "eventMaterialsTech"):
                    materials.append(_pick_text(_children(materials_tech, "displayMaterialsTech")))
                    record.techniques += [
                        _pick_text(_children(concept, "term"))
                        for concept in _path(materials_tech, "materialsTech/termMaterialsTech")
                    ]
            elif found := next((DISCOVERY_EVENTS[k] for k in kinds if k in DISCOVERY_EVENTS), ""):
                record.places += [
                    PlaceRecord(name=name, role="discovery") for name, _full in places if name
                ]
                discoveries.append(_join([found, date, *place_names]))
            elif kinds & ACQUISITION_EVENTS:
                method = _concept_text(event.find(L + "eventMethod"))
                acquisitions.append(" ".join(p for p in (date, method or "acquis") if p))

        if not record.techniques:
            # Without terms, the displayed materials ("oțel; fontă; alamă") are the techniques.
            record.techniques = [
                part.strip() for text in materials for part in text.split(";") if part.strip()
            ]
        record.techniques = list(dict.fromkeys(t for t in record.techniques if t))
        record.places = list({(p.name, p.role): p for p in record.places}.values())
        authors_text = _join(authors_shown) or _join(
            f"{a.name} ({a.role})" if a.role else a.name for a in record.authors
        )
        fields["authors_text"] = authors_text
        fields["techniques_text"] = _join(materials)
        fields["places_text"] = _join(places_text)
        fields["discovery"] = _join(discoveries)
        fields["acquisition_text"] = _join(acquisitions)
        # A date in figures ("1575", "1575 ; 1576") is a Joconde millésime; words
        # ("Începutul sec. XX", "1er quart 19e siècle") are a period.
        for date in dates:
            key = "millesime_text" if re.fullmatch(r"[\d\s;/?.\-–]+", date) else "periods_text"
            fields[key] = _join([fields.get(key, ""), date])

    def _date(self, event) -> str:
        shown = _pick_text(_path(event, "eventDate/displayDate"))
        if shown:
            return shown
        earliest = _text(event.find(f"{L}eventDate/{L}date/{L}earliestDate"))
        latest = _text(event.find(f"{L}eventDate/{L}date/{L}latestDate"))
        return _join([earliest, latest])

    def _place(self, place) -> tuple[str, str]:
        """A place's own name, and its full name from the largest unit down ("Italy, Rome")."""
        names = []
        while place is not None:
            names.append(_pick_text(_path(place, "namePlaceSet/appellationValue")))
            place = place.find(L + "partOfPlace")
        names = [n for n in names if n]
        return (names[0] if names else "", ", ".join(reversed(names)))

    def _author(self, actor_in_role, text=_text) -> AuthorRecord | None:
        actor = actor_in_role.find(L + "actor")
        name = text(_pick(_path(actor, "nameActorSet/appellationValue")))
        if not name:
            return None
        if text is _text:
            role = _concept_text(_pick(_children(actor_in_role, "roleActor")))
        else:
            role = text(_pick(_path(actor_in_role, "roleActor/term")))
        vital = actor.find(L + "vitalDatesActor") if actor is not None else None
        dates = ""
        if vital is not None:
            earliest = text(vital.find(L + "earliestDate"))
            latest = text(vital.find(L + "latestDate"))
            if earliest == latest:  # one date (LIDO wants both bounds)
                dates = earliest
            elif earliest or latest:
                dates = f"{earliest or '?'}-{latest}" if latest else earliest
        return AuthorRecord(name=name, role=role, dates=dates)

    def _images(self, administrative, text=_text) -> list[ImageRecord]:
        images = []
        for resource in _path(administrative, "resourceWrap/resourceSet"):
            representations = _children(resource, "resourceRepresentation")
            # Prefer a master file named for the import (REFIM), then the master or largest
            # image over a thumbnail.
            representations.sort(
                key=lambda r: (
                    r.find(L + "linkResource") is None
                    or r.find(L + "linkResource").get(L + "encodinganalog") != "REFIM",
                    "thumb" in (r.get(L + "type") or "").lower(),
                )
            )
            links = [_text(r.find(L + "linkResource")) for r in representations]
            reference = next((link for link in links if link), "")
            if not reference:
                continue
            rights = _children(resource, "rightsResource")
            credit = _join(text(_pick(_children(r, "creditLine"))) for r in rights) or _join(
                _pick_text(_path(r, "rightsHolder/legalBodyName/appellationValue")) for r in rights
            )
            photographer = _join(
                text(_pick(_path(source, "legalBodyName/appellationValue")))
                for source in _children(resource, "resourceSource")
                if "photograph" in (source.get(L + "type") or "").lower()
            )
            licence = ""
            for right in rights:
                for concept in _children(right, "rightsType"):
                    values = [_text(c) for c in concept]
                    licence = licence or next(filter(None, map(licence_from_text, values)), "")
            images.append(
                ImageRecord(
                    reference=reference,
                    caption=text(_pick(_children(resource, "resourceDescription"))),
                    photographer=photographer,
                    copyright_line=credit,
                    licence=licence,
                )
            )
        return images


def licence_from_text(value: str) -> str:
    """A `WorkImage.Licence` value for a rights term or URI, or "" when it names none we know."""
    text = value.strip().lower()
    if not text:
        return ""
    if "publicdomain/zero" in text or re.search(r"\bcc0\b", text) or "domaine public" in text:
        return "cc0"
    if "licenses/by-sa" in text or re.search(r"\bcc[ -]by[ -]sa\b", text):
        return "cc-by-sa"
    if re.search(r"licenses/by/", text) or re.fullmatch(r"cc[ -]by( \d(\.\d)?)?", text):
        return "cc-by"
    if "licence ouverte" in text or "open licence" in text or "etalab" in text:
        return "lo"
    if "rightsstatements.org/vocab/inc" in text or "tous droits réservés" in text:
        return "arr"
    return ""
