"""What the catalogue parsers share: opening their source and the record-iterator protocol."""

import io
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import ERROR_UNREADABLE, CatalogueFileError
from .records import RecordError, WorkRecord


def open_source(source: str | Path | bytes | BinaryIO) -> tuple[BinaryIO, bool]:
    """A binary stream over a path, bytes or binary file, and whether the caller must close it."""
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(source)), True
    if isinstance(source, str | Path):
        try:
            return open(source, "rb"), True  # closed by the parser's generator
        except OSError as exc:
            raise CatalogueFileError(
                str(ERROR_UNREADABLE % {"path": source, "error": exc.strerror or exc})
            ) from exc
    return source, False


class RecordParser(ABC):
    """A parser of one file format: iterate it for `WorkRecord`s and `RecordError`s, in order.

    `source` is a path, bytes or a binary file object (left open). `default_museofile_id` is the
    museum of records that do not name one. File-level warnings collect in `warnings`; a file
    that is not of the format at all raises CatalogueFileError. Subclasses write `_parse`.
    """

    def __init__(self, source, *, default_museofile_id: str | None = None):
        self.source = source
        self.default_museofile_id = default_museofile_id or ""
        self.warnings: list[str] = []

    def __iter__(self) -> Iterator[WorkRecord | RecordError]:
        self.warnings = []
        stream, owned = open_source(self.source)
        try:
            yield from self._parse(stream)
        finally:
            if owned:
                stream.close()

    @abstractmethod
    def _parse(self, stream: BinaryIO) -> Iterator[WorkRecord | RecordError]:
        """The records and errors of an open binary stream, in file order."""
