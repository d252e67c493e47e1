"""IIIF Presentation API 3.0: one manifest per public work, one canvas per image.

Specification: https://iiif.io/api/presentation/3.0/

`IiifManifestBuilder` is a provider in the manner of Django's Sitemap/Feed: hooks (`label`,
`summary`, `metadata`, `required_statement`, `provider`, `homepage`, `canvases`) each answer for
one part of the manifest, and `build(work)` puts them together. Texts are language maps in French.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from musees.catalogue.models import quote_inventory

from . import image as iiif_image
from .images import PROFILE, iiif_rights, served_image_for

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
LANGUAGE = "fr"
THUMBNAIL_SIZE = 400


def manifest_path(work) -> str:
    """The manifest's path, its inventory number quoted as one segment ("/" becomes %2F)."""
    # reverse() would quote the "%" of an already quoted number again: reverse a stand-in.
    url = reverse("iiif:manifest", kwargs={"museum_slug": work.museum.slug, "inventory": "x"})
    prefix = url[: -len("x/manifest.json")]
    return f"{prefix}{quote_inventory(work.inventory_number)}/manifest.json"


def lang(*values) -> dict:
    """A IIIF language map in the site's language."""
    return {LANGUAGE: [str(value) for value in values]}


class IiifManifestBuilder:
    """Build the Presentation 3 manifest of a public work (the caller checks it is public)."""

    metadata_fields = [
        (_("Auteur"), "authors"),
        (_("Dénomination"), "denominations"),
        (_("Domaine"), "domains"),
        (_("Période"), "periods"),
        (_("Matériaux et techniques"), "techniques_text"),
        (_("Mesures"), "dimensions_text"),
        (_("Numéro d'inventaire"), "inventory_number"),
        (_("Musée"), "museum_name"),
    ]

    def __init__(self, request):
        self.request = request

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def images(self, work) -> list:
        """The work's images, in order."""
        return list(work.images.select_related("image"))

    def label(self, work) -> dict:
        return lang(work.display_title)

    def summary(self, work) -> dict | None:
        return lang(work.description) if work.description else None

    def field_value(self, work, name: str) -> str:
        if name == "authors":
            people = [str(author.person) for author in work.work_authors.select_related("person")]
            return work.authors_text or " ; ".join(people)
        if name in ("denominations", "domains"):
            return ", ".join(term.label for term in getattr(work, name).all())
        if name == "periods":
            return work.periods_text or ", ".join(term.label for term in work.periods.all())
        if name == "museum_name":
            return work.museum.title
        return getattr(work, name)

    def metadata(self, work, images: list) -> list[dict]:
        pairs = []
        for label, name in self.metadata_fields:
            value = self.field_value(work, name)
            if value:
                pairs.append({"label": lang(label), "value": lang(value)})
        if images and not iiif_rights(images[0].licence_url):
            licence = f"{images[0].get_licence_display()} ({images[0].licence_url})"
            pairs.append({"label": lang(_("Licence")), "value": lang(licence)})
        return pairs

    def required_statement(self, work, images: list) -> dict:
        credit = images[0].credit_line if images else ""
        return {
            "label": lang(_("Crédit")),
            "value": lang(credit or work.photo_credits or work.museum.title),
        }

    def provider(self, work) -> list[dict]:
        museum = work.museum
        museum_url = museum.get_full_url(self.request) or self.absolute(museum.url or "/")
        return [
            {
                "id": museum_url,
                "type": "Agent",
                "label": lang(museum.title),
                "homepage": [
                    {
                        "id": museum_url,
                        "type": "Text",
                        "label": lang(museum.title),
                        "format": "text/html",
                    }
                ],
            }
        ]

    def homepage(self, work) -> list[dict]:
        try:
            url = work.get_absolute_url()
        except NoReverseMatch:  # the work pages are not installed
            return []
        return [
            {
                "id": self.absolute(url),
                "type": "Text",
                "label": lang(work.display_title),
                "format": "text/html",
            }
        ]

    def service_id(self, work_image) -> str:
        return self.absolute(reverse("iiif:base", kwargs={"identifier": work_image.image_id}))

    def image_resource(self, work_image, size: str) -> dict:
        """An image of the IIIF service at one size, with the service that can serve any other."""
        served = served_image_for(work_image)
        parsed = iiif_image.parse_request("full", size, "0", "default.jpg")
        resolved = iiif_image.resolve(parsed, served.width, served.height, served.limits)
        service_id = self.service_id(work_image)
        return {
            "id": f"{service_id}/full/{size}/0/default.jpg",
            "type": "Image",
            "format": "image/jpeg",
            "width": resolved.out_w,
            "height": resolved.out_h,
            "service": [{"id": service_id, "type": "ImageService3", "profile": PROFILE}],
        }

    def canvases(self, work, base: str, images: list) -> list[dict]:
        canvases = []
        for number, work_image in enumerate(images, start=1):
            served = served_image_for(work_image)
            canvas_id = f"{base}canvas/{number}"
            canvas = {
                "id": canvas_id,
                "type": "Canvas",
                "label": lang(work_image.caption or _("Vue %(number)s") % {"number": number}),
                "width": served.width,
                "height": served.height,
                "items": [
                    {
                        "id": f"{base}page/{number}",
                        "type": "AnnotationPage",
                        "items": [
                            {
                                "id": f"{base}annotation/{number}",
                                "type": "Annotation",
                                "motivation": "painting",
                                "target": canvas_id,
                                "body": self.image_resource(work_image, "max"),
                            }
                        ],
                    }
                ],
            }
            if work_image.credit_line:
                canvas["requiredStatement"] = {
                    "label": lang(_("Crédit")),
                    "value": lang(work_image.credit_line),
                }
            rights = iiif_rights(work_image.licence_url)
            if rights:
                canvas["rights"] = rights
            canvases.append(canvas)
        return canvases

    def build(self, work) -> dict:
        """The manifest of one work, as a dict ready for JSON."""
        with translation.override(LANGUAGE):
            manifest_id = self.absolute(manifest_path(work))
            base = manifest_id[: -len("manifest.json")]
            images = self.images(work)
            manifest = {
                "@context": CONTEXT,
                "id": manifest_id,
                "type": "Manifest",
                "label": self.label(work),
            }
            summary = self.summary(work)
            if summary:
                manifest["summary"] = summary
            manifest["metadata"] = self.metadata(work, images)
            if images and iiif_rights(images[0].licence_url):
                manifest["rights"] = iiif_rights(images[0].licence_url)
            manifest["requiredStatement"] = self.required_statement(work, images)
            manifest["provider"] = self.provider(work)
            homepage = self.homepage(work)
            if homepage:
                manifest["homepage"] = homepage
            if images:
                size = f"!{THUMBNAIL_SIZE},{THUMBNAIL_SIZE}"
                manifest["thumbnail"] = [self.image_resource(images[0], size)]
            manifest["items"] = self.canvases(work, base, images)
            return manifest
