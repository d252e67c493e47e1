"""Template tags of the catalogue's pages and work cards (the logic lives in presenters)."""

from django import template
from django.utils.safestring import mark_safe

from musees.core import jsonld

register = template.Library()


@register.filter
def work_thumb(image_id) -> str:
    """The card thumbnail URL of an image (its IIIF identifier, the Wagtail image id)."""
    from musees.catalogue import presenters

    return presenters.card_image_url(image_id) if image_id else ""


@register.filter
def work_heading(work) -> str:
    """What names a work on a card: title, appellation, denomination or inventory number."""
    from musees.catalogue import presenters

    return presenters.work_heading(work)


@register.filter
def work_monogram(work) -> str:
    """The letter standing for a work without image."""
    from musees.catalogue import presenters

    return presenters.monogram(work)


@register.simple_tag
def jsonld_scripts(documents):
    """One <script type="application/ld+json"> per JSON-LD document."""
    return mark_safe("".join(jsonld.script(document) for document in documents))
