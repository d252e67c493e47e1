"""Catalogue exporters: pure functions from `Work`s to the bytes of a file, streamed.

joconde_txt.py writes the Joconde "ajout piloté" text format, lido.py LIDO 1.1 XML. Both take
an iterable of works whose museum and related rows are loaded (`work_prefetches()`): each
chunk of works then costs a fixed number of queries, whatever its size.
"""

from django.db.models import Prefetch


def work_prefetches() -> list:
    """The related rows the exporters read from each work, in their display order."""
    from musees.catalogue.models import WorkAuthor, WorkImage, WorkPlace

    return [
        "domains",
        "denominations",
        "periods",
        "techniques",
        Prefetch("work_authors", WorkAuthor.objects.select_related("person")),
        Prefetch("work_places", WorkPlace.objects.select_related("place")),
        Prefetch("images", WorkImage.objects.select_related("image").order_by("position", "pk")),
    ]
