"""LIDO writer: works as a LIDO 1.1 `lidoWrap` document, streamed one record at a time.

Specification: LIDO v1.1, ICOM-CIDOC, http://www.lido-schema.org
(schema: http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd). The output validates against
that schema (tests/data/schemas/lido/lido-v1.1.xsd).
"""

import io
import re
from collections.abc import Iterable, Iterator

from lxml import etree

from musees.catalogue.models import quote_inventory

from .joconde_txt import TEXT_FIELDS, image_file_name

LIDO_NS = "http://www.lido-schema.org"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{LIDO_NS} http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd"
L = f"{{{LIDO_NS}}}"
# CIDOC CRM class of every work: a man-made object (LIDO's own category vocabulary).
CATEGORY_URI = "http://www.cidoc-crm.org/cidoc-crm/E22_Man-Made_Object"
RECORD_SOURCE = "Musées en réseau"


def lido_record_id(work) -> str:
    """A stable record id: the museum (Muséofile id, else slug) and the inventory number."""
    museum = work.museum.museofile_id or work.museum.slug
    return f"{museum}/{quote_inventory(work.inventory_number)}"


def iiif_image_url(work_image, base_url: str = "") -> str:
    """The full-size image of a work image through the IIIF Image API 3 service."""
    return f"{base_url.rstrip('/')}/iiif/3/{work_image.image_id}/full/max/0/default.jpg"


# Every value is written where LIDO has a place for it (titles, work types, events, subjects,
# repository, rights, resources); what LIDO has no element for goes into typed descriptive
# notes. Each element that carries a catalogue field names it by its Joconde code in
# `lido:encodinganalog`, and each record says `lido:relatedencoding="Joconde"`: LIDO's own way
# of naming the source field, which lets our reader restore every field exactly.
RELATED_ENCODING = "Joconde"
# Work text field -> Joconde code.
FIELD_CODES = {
    **{name: code for code, name in TEXT_FIELDS},
    "authors_text": "AUTR",
    "periods_text": "PERI",
    "techniques_text": "TECH",
    "places_text": "LIEUX",
    "links": "WWW",
}
# Typed notes of objectDescriptionSet (object level): field -> the type written.
OBJECT_NOTES = {
    "description": "description",
    "onomastics": "onomastique",
    "history": "historique",
    "legal_status": "statut juridique",
    "deposit": "dépôt",
    "deposit_date": "date de dépôt",
    "exhibitions": "expositions",
    "bibliography": "bibliographie",
    "comments": "commentaires",
    "record_authors": "rédacteurs de la notice",
    "photo_credits": "crédits photographiques",
}
# Events: LIDO event type -> place role, and their typed notes (eventDescriptionSet).
PRODUCTION, USE, DISCOVERY, ACQUISITION = "Production", "Utilisation", "Découverte", "Acquisition"
EVENT_PLACE_ROLES = {PRODUCTION: "creation", USE: "use", DISCOVERY: "discovery"}
PRODUCTION_NOTES = {
    "author_details": "précisions sur l'auteur",
    "former_attributions": "anciennes attributions",
    "periods_text": "période de création",
    "place_details": "précisions sur le lieu",
    "historical_geography": "géographie historique",
    "genesis": "genèse",
}
USE_NOTES = {"use": "utilisation", "use_details": "précisions sur l'utilisation"}
DISCOVERY_NOTES = {
    "discovery": "découverte",
    "discovery_details": "précisions sur la découverte",
    "site_number": "numéro de site",
}
ACQUISITION_NOTES = {"former_owner": "ancienne appartenance"}
REPRESENTATION_FILE = "image_master_file"  # the master's file name, for import --images-dir

# What a LIDO export cannot give back to the importer, and why: every field of a record
# round-trips (tests/catalogue/exporters/test_round_trip.py) except these characters.
NOT_ROUND_TRIPPED = {
    "caractères de contrôle": (
        "XML 1.0 cannot hold the C0 control characters other than tab and line breaks "
        "(U+0001-U+0008, U+000B, U+000C, U+000E-U+001F): they are dropped from the values"
    ),
}
# Characters XML 1.0 cannot hold: dropped from values (the catalogue never means them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _sub(parent, name: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, L + name, {L + k: v for k, v in attributes.items() if v})
    if text is not None:
        element.text = _xml(text)
    return element


def _coded(parent, name: str, work, field: str, **attributes):
    """An element holding one text field of the work, named by its Joconde code."""
    return _sub(parent, name, getattr(work, field), encodinganalog=FIELD_CODES[field], **attributes)


def _term(parent, name: str, label: str, code: str = "", **attributes):
    concept = _sub(parent, name, **attributes)
    _sub(concept, "term", label, encodinganalog=code)
    return concept


def _notes(parent, name: str, work, notes: dict[str, str]) -> None:
    """Typed descriptive notes (objectDescriptionSet, eventDescriptionSet) of the filled fields."""
    for field, note_type in notes.items():
        if getattr(work, field):
            _coded(_sub(parent, name, type=note_type), "descriptiveNoteValue", work, field)


def _legal_body(parent, name: str, museum):
    body = _sub(parent, name)
    if museum.museofile_id:
        _sub(body, "legalBodyID", museum.museofile_id, type="Muséofile")
    _sub(_sub(body, "legalBodyName"), "appellationValue", museum.title)
    return body


def work_element(work, *, base_url: str = ""):
    """The `lido:lido` element of one work (museum and related rows prefetched)."""
    museum = work.museum
    lido = etree.Element(
        L + "lido", {L + "relatedencoding": RELATED_ENCODING}, nsmap={"lido": LIDO_NS}
    )
    _sub(lido, "lidoRecID", lido_record_id(work), type="local", source=RECORD_SOURCE)
    if work.joconde_ref:
        _sub(lido, "objectPublishedID", work.joconde_ref, type="local", source="Joconde")
    category = _sub(lido, "category")
    _sub(category, "conceptID", CATEGORY_URI, type="URI")
    _sub(category, "term", "objet fabriqué par l'homme")

    descriptive = _sub(lido, "descriptiveMetadata")
    descriptive.set(XML_LANG, "fr")
    classification = _sub(descriptive, "objectClassificationWrap")
    work_types = _sub(classification, "objectWorkTypeWrap")
    denominations = [d.label for d in work.denominations.all()]
    for label in denominations:
        _term(work_types, "objectWorkType", label, "DENO")
    if not denominations:
        # objectWorkType is required: an empty concept says "not given" without inventing one.
        _sub(work_types, "objectWorkType")
    domains = [d.label for d in work.domains.all()]
    if domains:
        classifications = _sub(classification, "classificationWrap")
        for label in domains:
            _term(classifications, "classification", label, "DOMN", type="domaine")

    identification = _sub(descriptive, "objectIdentificationWrap")
    titles = _sub(identification, "titleWrap")
    if work.title:
        _coded(_sub(titles, "titleSet"), "appellationValue", work, "title", pref="preferred")
    else:
        # A title is required: the display title, not coded, so it is not read back as TITR.
        _sub(_sub(titles, "titleSet"), "appellationValue", work.display_title, pref="preferred")
    if work.appellation:
        title_set = _sub(titles, "titleSet", type="appellation")
        _coded(title_set, "appellationValue", work, "appellation", pref="alternate")
    if work.inscriptions or work.inscription_details:
        inscription = _sub(_sub(identification, "inscriptionsWrap"), "inscriptions")
        if work.inscriptions:
            _coded(inscription, "inscriptionTranscription", work, "inscriptions")
        if work.inscription_details:
            _coded(
                _sub(inscription, "inscriptionDescription"),
                "descriptiveNoteValue",
                work,
                "inscription_details",
            )
    repository = _sub(_sub(identification, "repositoryWrap"), "repositorySet", type="current")
    _legal_body(repository, "repositoryName", museum)
    _sub(repository, "workID", work.inventory_number, type="inventory number")
    if work.location:
        location = _sub(_sub(repository, "repositoryLocation"), "namePlaceSet")
        _coded(location, "appellationValue", work, "location")
    if any(getattr(work, field) for field in OBJECT_NOTES):
        _notes(
            _sub(identification, "objectDescriptionWrap"),
            "objectDescriptionSet",
            work,
            OBJECT_NOTES,
        )
    if work.dimensions_text:
        measurements = _sub(_sub(identification, "objectMeasurementsWrap"), "objectMeasurementsSet")
        _coded(measurements, "displayObjectMeasurements", work, "dimensions_text")

    _events(descriptive, work)
    _subjects(descriptive, work)

    administrative = _sub(lido, "administrativeMetadata")
    administrative.set(XML_LANG, "fr")
    if work.copyright_notice:
        rights = _sub(_sub(administrative, "rightsWorkWrap"), "rightsWorkSet")
        _coded(rights, "creditLine", work, "copyright_notice")
    record = _sub(administrative, "recordWrap")
    _sub(record, "recordID", lido_record_id(work), type="local")
    _term(record, "recordType", "objet")
    _legal_body(record, "recordSource", museum)
    links = [line.strip() for line in work.links.splitlines() if line.strip()]
    if links:
        info = _sub(record, "recordInfoSet")
        for link in links:
            _sub(info, "recordInfoLink", link, encodinganalog="WWW")
    images = list(work.images.all())
    if images:
        resources = _sub(administrative, "resourceWrap")
        for work_image in images:
            _resource(resources, work_image, base_url)
    return lido


def _events(descriptive, work) -> None:
    """Production, use, discovery and acquisition events, each only when it has something."""
    places: dict[str, list] = {}
    for position, work_place in enumerate(work.work_places.all()):
        places.setdefault(work_place.role, []).append((position, work_place.place.label))
    authors = list(work.work_authors.all())
    techniques = [t.label for t in work.techniques.all()]
    periods = [p.label for p in work.periods.all()]
    production = (
        authors
        or techniques
        or periods
        or places.get("creation")
        or any(
            getattr(work, f)
            for f in ("authors_text", "school", "millesime_text", "epoch", "techniques_text")
        )
        or any(getattr(work, f) for f in (*PRODUCTION_NOTES, "places_text"))
    )
    wrap = etree.Element(L + "eventWrap")
    if production:
        event = _event(wrap, PRODUCTION)
        if work.authors_text:
            _coded(_sub(event, "eventActor"), "displayActorInRole", work, "authors_text")
        for author in authors:
            in_role = _sub(_sub(event, "eventActor"), "actorInRole")
            actor = _sub(in_role, "actor")
            _sub(_sub(actor, "nameActorSet"), "appellationValue", author.person.label)
            if author.person.dates:
                _vital_dates(actor, author.person.dates)
            if author.role:
                _term(in_role, "roleActor", author.role)
        if work.school:
            _sub(_sub(event, "culture"), "term", work.school, encodinganalog="ECOL")
        if work.millesime_text:
            _coded(_sub(event, "eventDate"), "displayDate", work, "millesime_text")
        for label in periods:
            _term(event, "periodName", label, "PERI", type="période")
        if work.epoch:
            _sub(
                _sub(event, "periodName", type="époque"), "term", work.epoch, encodinganalog="EPOQ"
            )
        if work.places_text:
            _coded(_sub(event, "eventPlace"), "displayPlace", work, "places_text")
        _places(event, places.get("creation", []))
        if techniques or work.techniques_text:
            materials = _sub(event, "eventMaterialsTech")
            if work.techniques_text:
                _coded(materials, "displayMaterialsTech", work, "techniques_text")
            if techniques:
                materials_tech = _sub(materials, "materialsTech")
                for label in techniques:
                    _term(materials_tech, "termMaterialsTech", label, "TECH")
        _notes(event, "eventDescriptionSet", work, PRODUCTION_NOTES)
    if places.get("use") or work.use_period or any(getattr(work, f) for f in USE_NOTES):
        event = _event(wrap, USE)
        if work.use_period:
            _coded(_sub(event, "eventDate"), "displayDate", work, "use_period")
        _places(event, places.get("use", []))
        _notes(event, "eventDescriptionSet", work, USE_NOTES)
    if places.get("discovery") or any(getattr(work, f) for f in DISCOVERY_NOTES):
        event = _event(wrap, DISCOVERY)
        _places(event, places.get("discovery", []))
        _notes(event, "eventDescriptionSet", work, DISCOVERY_NOTES)
    if work.acquisition_text or work.former_owner:
        event = _event(wrap, ACQUISITION)
        if work.acquisition_text:
            _coded(_sub(event, "eventDate"), "displayDate", work, "acquisition_text")
        _notes(event, "eventDescriptionSet", work, ACQUISITION_NOTES)
    if len(wrap):
        descriptive.append(wrap)


def _event(wrap, event_type: str):
    event = _sub(_sub(wrap, "eventSet"), "event")
    _term(event, "eventType", event_type)
    return event


def _places(event, places: list[tuple[int, str]]) -> None:
    """eventPlace elements; sortorder keeps the work's order of places across the events."""
    for position, label in places:
        event_place = _sub(event, "eventPlace", sortorder=str(position + 1))
        _sub(_sub(_sub(event_place, "place"), "namePlaceSet"), "appellationValue", label)


def _subjects(descriptive, work) -> None:
    if not (work.subject or work.subject_details or work.subject_date):
        return
    subjects = _sub(_sub(descriptive, "objectRelationWrap"), "subjectWrap")
    if work.subject or work.subject_date:
        subject_set = _sub(subjects, "subjectSet")
        if work.subject:
            _coded(subject_set, "displaySubject", work, "subject")
        if work.subject_date:
            date = _sub(_sub(subject_set, "subject"), "subjectDate")
            _coded(date, "displayDate", work, "subject_date")
    if work.subject_details:
        _coded(
            _sub(subjects, "subjectSet"),
            "displaySubject",
            work,
            "subject_details",
        )


def _vital_dates(actor, dates: str) -> None:
    """vitalDatesActor from "1841-1919"; dates LIDO cannot split ("vers 1850") go whole in both.

    LIDO wants both bounds when it has any; the reader takes equal bounds as one date.
    """
    earliest, _sep, latest = dates.partition("-")
    if not (earliest.strip() and latest.strip() and f"{earliest}-{latest}" == dates):
        earliest = latest = dates
    vital = _sub(actor, "vitalDatesActor")
    _sub(vital, "earliestDate", earliest)
    _sub(vital, "latestDate", latest)


def _resource(parent, work_image, base_url: str) -> None:
    resource = _sub(parent, "resourceSet")
    _sub(resource, "resourceID", str(work_image.image_id), type="local")
    representation = _sub(resource, "resourceRepresentation", type="image_master")
    _sub(
        representation,
        "linkResource",
        iiif_image_url(work_image, base_url),
        formatResource="image/jpeg",
    )
    master_file = _sub(resource, "resourceRepresentation", type=REPRESENTATION_FILE)
    _sub(master_file, "linkResource", image_file_name(work_image), encodinganalog="REFIM")
    if work_image.caption:
        _sub(resource, "resourceDescription", work_image.caption)
    if work_image.photographer:
        source = _sub(resource, "resourceSource", type="photographer")
        _sub(_sub(source, "legalBodyName"), "appellationValue", work_image.photographer)
    rights = _sub(resource, "rightsResource")
    rights_type = _sub(rights, "rightsType")
    _sub(rights_type, "conceptID", work_image.licence_url, type="URI")
    _sub(rights_type, "term", str(work_image.get_licence_display()))
    if work_image.copyright_line:
        _sub(rights, "creditLine", work_image.copyright_line)


class _Chunks(io.RawIOBase):
    """A write-only file that hands back what was written since the last `take()`."""

    def __init__(self):
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def export_lido(works: Iterable, *, base_url: str = "") -> Iterator[bytes]:
    """A LIDO 1.1 document of works, yielded record by record (constant memory)."""
    out = _Chunks()
    with etree.xmlfile(out, encoding="utf-8", buffered=False) as xf:
        xf.write_declaration()
        attributes = {f"{{{XSI_NS}}}schemaLocation": SCHEMA_LOCATION}
        with xf.element(L + "lidoWrap", attributes, nsmap={"lido": LIDO_NS, "xsi": XSI_NS}):
            xf.write("\n")
            yield out.take()
            for work in works:
                xf.write(work_element(work, base_url=base_url), pretty_print=True)
                yield out.take()
    yield out.take() + b"\n"
