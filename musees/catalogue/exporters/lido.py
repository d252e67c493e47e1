"""LIDO writer: works as a LIDO 1.1 `lidoWrap` document, streamed one record at a time.

Specification: LIDO v1.1, ICOM-CIDOC, http://www.lido-schema.org
(schema: http://www.lido-schema.org/schema/v1.1/lido-v1.1.xsd). The output validates against
that schema (tests/data/schemas/lido/lido-v1.1.xsd).
"""

import io
from collections.abc import Iterable, Iterator

from lxml import etree

from musees.catalogue.models import quote_inventory

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


def _sub(parent, name: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, L + name, {L + k: v for k, v in attributes.items() if v})
    if text is not None:
        element.text = text
    return element


def _term(parent, name: str, label: str, **attributes):
    concept = _sub(parent, name, **attributes)
    _sub(concept, "term", label)
    return concept


def _legal_body(parent, name: str, museum):
    body = _sub(parent, name)
    if museum.museofile_id:
        _sub(body, "legalBodyID", museum.museofile_id, type="Muséofile")
    _sub(_sub(body, "legalBodyName"), "appellationValue", museum.title)
    return body


def work_element(work, *, base_url: str = ""):
    """The `lido:lido` element of one work (museum and related rows prefetched)."""
    museum = work.museum
    lido = etree.Element(L + "lido", nsmap={"lido": LIDO_NS})
    _sub(lido, "lidoRecID", lido_record_id(work), type="local", source=RECORD_SOURCE)
    category = _sub(lido, "category")
    _sub(category, "conceptID", CATEGORY_URI, type="URI")
    _sub(category, "term", "objet fabriqué par l'homme")

    descriptive = _sub(lido, "descriptiveMetadata")
    descriptive.set(XML_LANG, "fr")
    classification = _sub(descriptive, "objectClassificationWrap")
    work_types = _sub(classification, "objectWorkTypeWrap")
    denominations = [d.label for d in work.denominations.all()]
    for label in denominations:
        _term(work_types, "objectWorkType", label)
    if not denominations:
        # objectWorkType is required: an empty concept says "not given" without inventing one.
        _sub(work_types, "objectWorkType")
    domains = [d.label for d in work.domains.all()]
    if domains:
        classifications = _sub(classification, "classificationWrap")
        for label in domains:
            _term(classifications, "classification", label, type="domaine")

    identification = _sub(descriptive, "objectIdentificationWrap")
    titles = _sub(identification, "titleWrap")
    title_set = _sub(titles, "titleSet")
    _sub(title_set, "appellationValue", work.title or work.display_title, pref="preferred")
    for appellation in filter(None, (a.strip() for a in work.appellation.split(" ; "))):
        _sub(_sub(titles, "titleSet"), "appellationValue", appellation, pref="alternate")
    if work.inscriptions or work.inscription_details:
        inscription = _sub(_sub(identification, "inscriptionsWrap"), "inscriptions")
        if work.inscriptions:
            _sub(inscription, "inscriptionTranscription", work.inscriptions)
        if work.inscription_details:
            _sub(
                _sub(inscription, "inscriptionDescription"),
                "descriptiveNoteValue",
                work.inscription_details,
            )
    repository = _sub(_sub(identification, "repositoryWrap"), "repositorySet", type="current")
    _legal_body(repository, "repositoryName", museum)
    _sub(repository, "workID", work.inventory_number, type="inventory number")
    if work.description:
        description = _sub(_sub(identification, "objectDescriptionWrap"), "objectDescriptionSet")
        _sub(description, "descriptiveNoteValue", work.description)
    if work.dimensions_text:
        measurements = _sub(_sub(identification, "objectMeasurementsWrap"), "objectMeasurementsSet")
        _sub(measurements, "displayObjectMeasurements", work.dimensions_text)

    _production_event(descriptive, work)

    administrative = _sub(lido, "administrativeMetadata")
    administrative.set(XML_LANG, "fr")
    record = _sub(administrative, "recordWrap")
    _sub(record, "recordID", lido_record_id(work), type="local")
    _term(record, "recordType", "objet")
    _legal_body(record, "recordSource", museum)
    if work.links:
        info = _sub(record, "recordInfoSet")
        for link in filter(None, (line.strip() for line in work.links.splitlines())):
            _sub(info, "recordInfoLink", link)
    images = list(work.images.all())
    if images:
        resources = _sub(administrative, "resourceWrap")
        for work_image in images:
            _resource(resources, work_image, base_url)
    return lido


def _production_event(descriptive, work) -> None:
    authors = list(work.work_authors.all())
    places = [p for p in work.work_places.all() if p.role == "creation"]
    techniques = [t.label for t in work.techniques.all()]
    date = work.millesime_text or work.periods_text
    if not (authors or places or techniques or date or work.techniques_text):
        return
    event = _sub(_sub(_sub(descriptive, "eventWrap"), "eventSet"), "event")
    _term(event, "eventType", "Production")
    if authors:
        event_actor = _sub(event, "eventActor")
        if work.authors_text:
            _sub(event_actor, "displayActorInRole", work.authors_text)
        for author in authors:
            in_role = _sub(event_actor, "actorInRole")
            actor = _sub(in_role, "actor")
            _sub(_sub(actor, "nameActorSet"), "appellationValue", author.person.label)
            if author.person.dates:
                _vital_dates(actor, author.person.dates)
            if author.role:
                _term(in_role, "roleActor", author.role)
    if date:
        _sub(_sub(event, "eventDate"), "displayDate", date)
    for place in places:
        event_place = _sub(event, "eventPlace")
        _sub(
            _sub(_sub(event_place, "place"), "namePlaceSet"), "appellationValue", place.place.label
        )
    if techniques or work.techniques_text:
        materials = _sub(event, "eventMaterialsTech")
        if work.techniques_text:
            _sub(materials, "displayMaterialsTech", work.techniques_text)
        if techniques:
            materials_tech = _sub(materials, "materialsTech")
            for label in techniques:
                _term(materials_tech, "termMaterialsTech", label)


def _vital_dates(actor, dates: str) -> None:
    """vitalDatesActor from "1841-1919" (or one date); LIDO wants both bounds when it has any."""
    earliest, _sep, latest = dates.partition("-")
    earliest, latest = earliest.strip(), latest.strip() or earliest.strip()
    if earliest in ("", "?"):
        earliest = latest
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
