"""What every catalogue parser yields and the shared loader writes: one `WorkRecord` per work.

Parsers are pure (bytes in, records and errors out, no database). Values are Joconde texts kept
verbatim; the loader derives the parsed forms (dimensions in cm, year ranges) with
`musees.catalogue.parsing`, the same way for every format.
"""

from dataclasses import dataclass, field


@dataclass
class AuthorRecord:
    """A person named as author: name, role ("peintre"), dates ("1841-1919"), as written."""

    name: str
    role: str = ""
    dates: str = ""


@dataclass
class PlaceRecord:
    """A place tied to the work; role is "creation", "use" or "discovery" (WorkPlace.Role)."""

    name: str
    role: str = "creation"


@dataclass
class ImageRecord:
    """An image the source names: a file name or URL, and what its reuse requires."""

    reference: str
    caption: str = ""
    photographer: str = ""
    copyright_line: str = ""
    licence: str = ""  # a WorkImage.Licence value, "" when the source does not say


@dataclass
class WorkRecord:
    """One work as a source file describes it.

    `number` is the record's position in the file (1-based) and `line` its first physical line,
    for reports. `fields` holds the `Work` model's text fields by name (title, description,
    dimensions_text, periods_text...), verbatim. `museofile_id` ties the work to its museum.
    """

    number: int
    line: int
    museofile_id: str
    inventory_number: str
    joconde_ref: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    domains: list[str] = field(default_factory=list)
    denominations: list[str] = field(default_factory=list)
    periods: list[str] = field(default_factory=list)
    techniques: list[str] = field(default_factory=list)
    authors: list[AuthorRecord] = field(default_factory=list)
    places: list[PlaceRecord] = field(default_factory=list)
    images: list[ImageRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class RecordError:
    """A record that cannot be imported: its number, line, field (Joconde code) and reason."""

    number: int
    line: int
    field: str
    reason: str
