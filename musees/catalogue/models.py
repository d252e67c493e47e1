"""Catalogue records (notices) of the museums' works and objects, after the Joconde dictionary.

Each Joconde field a reader uses has a field here, kept verbatim (`*_text` when a parsed form
stands beside it). Repeated values that facets and links need (domains, denominations, periods,
materials and techniques, people, places) are rows of vocabulary tables.
Field codes: ../shared/data/real/joconde/pop_schema_joconde_fields.csv (POP, Ministère de la
Culture).
"""

from urllib.parse import quote

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)

from .querysets import WorkQuerySet


class Term(models.Model):
    """A vocabulary entry: a label as the catalogue writes it and a slug for URLs and facets."""

    label = models.CharField(_("libellé"), max_length=255, unique=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=255, unique=True)

    class Meta:
        abstract = True
        ordering = ["label"]

    def __str__(self):
        return self.label


class Domain(Term):
    """Joconde DOMN: the collection domain (archéologie, peinture, costume - accessoires...)."""

    class Meta(Term.Meta):
        verbose_name = _("domaine")
        verbose_name_plural = _("domaines")


class Denomination(Term):
    """Joconde DENO: what the object is (fragment, robe, tableau...)."""

    class Meta(Term.Meta):
        verbose_name = _("dénomination")
        verbose_name_plural = _("dénominations")


class Period(Term):
    """Joconde PERI: the period of creation ("1er quart 19e siècle"), with its year range."""

    year_start = models.IntegerField(_("de l'année"), null=True, blank=True)
    year_end = models.IntegerField(_("à l'année"), null=True, blank=True)

    class Meta(Term.Meta):
        verbose_name = _("période")
        verbose_name_plural = _("périodes")


class Technique(Term):
    """Joconde TECH: a material or a technique (céramique, sigillée, huile sur toile...)."""

    class Meta(Term.Meta):
        verbose_name = _("matériau ou technique")
        verbose_name_plural = _("matériaux et techniques")


class Person(Term):
    """A person or workshop named as author (Joconde AUTR), with the dates the record gives."""

    dates = models.CharField(_("dates"), max_length=120, blank=True)

    class Meta(Term.Meta):
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")


class Place(Term):
    """A place of creation, use or discovery (Joconde LIEUX, DECV)."""

    class Meta(Term.Meta):
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")


class Work(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    ClusterableModel,
):
    """One work or object of a museum: its catalogue record (notice).

    Clusterable so that the admin edits its images and vocabularies inline, and a revision keeps
    them. Wagtail's mixins give it what pages have: revisions (compare, revert), drafts beside
    the published version, scheduled publication, locking, preview and the review workflow.

    `status` is what the public sees (published, or not: draft or withdrawn); Wagtail's `live`
    says the same in its own words. `save()` keeps the two in step (see `_sync_status`).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("publiée")
        WITHDRAWN = "withdrawn", _("retirée")

    museum = models.ForeignKey(
        "museums.MuseumPage",
        on_delete=models.PROTECT,
        related_name="works",
        verbose_name=_("musée"),
    )
    inventory_number = models.CharField(_("numéro d'inventaire"), max_length=255)  # INV
    joconde_ref = models.CharField(  # REF
        _("référence Joconde"), max_length=20, unique=True, null=True, blank=True
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    # Identification
    title = models.TextField(_("titre"), blank=True)  # TITR
    appellation = models.TextField(_("appellation"), blank=True)  # APPL
    domains = ParentalManyToManyField(
        Domain, blank=True, related_name="works", verbose_name=_("domaines")
    )
    denominations = ParentalManyToManyField(
        Denomination, blank=True, related_name="works", verbose_name=_("dénominations")
    )
    # Creation
    authors_text = models.TextField(_("auteur"), blank=True)  # AUTR, verbatim
    author_details = models.TextField(_("précisions sur l'auteur"), blank=True)  # PAUT
    former_attributions = models.TextField(_("anciennes attributions"), blank=True)  # ATTR
    school = models.TextField(_("école"), blank=True)  # ECOL
    periods = ParentalManyToManyField(
        Period, blank=True, related_name="works", verbose_name=_("périodes")
    )
    periods_text = models.TextField(_("période de création"), blank=True)  # PERI, verbatim
    millesime_text = models.TextField(_("millésime de création"), blank=True)  # MILL, verbatim
    year_start = models.IntegerField(_("créée à partir de"), null=True, blank=True, db_index=True)
    year_end = models.IntegerField(_("créée au plus tard en"), null=True, blank=True)
    epoch = models.TextField(_("époque, style, mouvement"), blank=True)  # EPOQ
    techniques = ParentalManyToManyField(
        Technique, blank=True, related_name="works", verbose_name=_("matériaux et techniques")
    )
    techniques_text = models.TextField(_("matériaux et techniques (texte)"), blank=True)  # TECH
    dimensions_text = models.TextField(_("mesures"), blank=True)  # DIMS, verbatim
    height_cm = models.FloatField(_("hauteur (cm)"), null=True, blank=True)
    width_cm = models.FloatField(_("largeur (cm)"), null=True, blank=True)
    depth_cm = models.FloatField(_("profondeur (cm)"), null=True, blank=True)
    diameter_cm = models.FloatField(_("diamètre (cm)"), null=True, blank=True)
    places_text = models.TextField(_("lieu de création ou d'utilisation"), blank=True)  # LIEUX
    place_details = models.TextField(_("précisions sur le lieu"), blank=True)  # PLIEUX
    historical_geography = models.TextField(_("géographie historique"), blank=True)  # GEOHI
    genesis = models.TextField(_("genèse"), blank=True)  # GENE
    # Description
    inscriptions = models.TextField(_("inscriptions"), blank=True)  # INSC
    inscription_details = models.TextField(_("précisions sur les inscriptions"), blank=True)  # PINS
    description = models.TextField(_("description"), blank=True)  # DESC
    onomastics = models.TextField(_("onomastique"), blank=True)  # ONOM
    subject = models.TextField(_("sujet représenté"), blank=True)  # REPR
    subject_details = models.TextField(_("précisions sur le sujet représenté"), blank=True)  # PREP
    subject_date = models.TextField(_("date du sujet représenté"), blank=True)  # DREP
    use = models.TextField(_("utilisation, destination"), blank=True)  # UTIL
    use_details = models.TextField(_("précisions sur l'utilisation"), blank=True)  # PUTI
    use_period = models.TextField(_("période d'utilisation"), blank=True)  # PERU
    # History and provenance
    history = models.TextField(_("historique"), blank=True)  # HIST
    discovery = models.TextField(_("découverte, collecte"), blank=True)  # DECV
    discovery_details = models.TextField(_("précisions sur la découverte"), blank=True)  # PDEC
    site_number = models.TextField(_("numéro de site"), blank=True)  # NSDA
    legal_status = models.TextField(_("statut juridique"), blank=True)  # STAT
    acquisition_text = models.TextField(_("date d'acquisition"), blank=True)  # DACQ
    acquisition_year = models.IntegerField(_("année d'acquisition"), null=True, blank=True)
    former_owner = models.TextField(_("ancienne appartenance"), blank=True)  # APTN
    deposit = models.TextField(_("dépôt"), blank=True)  # DEPO
    deposit_date = models.TextField(_("date de dépôt"), blank=True)  # DDPT
    location = models.TextField(_("localisation"), blank=True)  # LOCA
    # Bibliography, exhibitions, record
    exhibitions = models.TextField(_("expositions"), blank=True)  # EXPO
    bibliography = models.TextField(_("bibliographie"), blank=True)  # BIBL
    comments = models.TextField(_("commentaires"), blank=True)  # COMM
    record_authors = models.TextField(_("rédacteurs de la notice"), blank=True)  # REDA
    photo_credits = models.TextField(_("crédits photographiques"), blank=True)  # PHOT
    copyright_notice = models.TextField(_("copyright"), blank=True)  # COPY
    links = models.TextField(_("liens"), blank=True)  # WWW, one URL a line

    # Bookkeeping: a digest of the record as last imported, so a re-import skips unchanged works.
    source_format = models.CharField(_("format d'origine"), max_length=20, blank=True)
    source_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True, db_index=True)

    # Deleting a work deletes its revisions and workflow states (Wagtail's advice for snippets).
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="work")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="work",
        for_concrete_model=False,
    )

    objects = WorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("œuvre")
        verbose_name_plural = _("œuvres")
        constraints = [
            models.UniqueConstraint(
                fields=["museum", "inventory_number"], name="catalogue_work_unique_inventory"
            )
        ]
        indexes = [models.Index(fields=["museum", "status"])]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self) -> str:
        """The stable public address: /oeuvres/<museum slug>/<inventory number>/."""
        from django.urls import reverse

        return reverse(
            "catalogue:work",
            kwargs={
                "museum_slug": self.museum.slug,
                "inventory": quote_inventory(self.inventory_number),
            },
        )

    @property
    def display_title(self) -> str:
        """The title, or the first denomination, or the inventory number: what a heading shows."""
        return self.title or self.appellation or self.inventory_number

    # --- Publication: `status` and Wagtail's `live` ------------------------------------------

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_state = (instance.__dict__.get("live"), instance.__dict__.get("status"))
        return instance

    def _sync_status(self) -> set[str]:
        """Make `status` and `live` say the same; the names of the fields it changed.

        Whichever of the two was changed wins: Wagtail's publish and unpublish change `live`
        (publish, schedule, approve, unpublish, expire), scripts and tests set `status`. A new
        work follows its status; an object rebuilt from a revision (Wagtail publishing it)
        follows `live`.
        """
        published = self.Status.PUBLISHED
        loaded = getattr(self, "_loaded_state", None)
        if self.pk is None or (loaded is not None and loaded[0] == self.live):
            live = self.status == published
            if self.live != live:
                self.live = live
                return {"live"}
            return set()
        if self.live and self.status != published:
            self.status = published
            return {"status"}
        if not self.live and self.status == published:
            self.status = self.Status.WITHDRAWN
            return {"status"}
        return set()

    def save(self, *args, **kwargs):
        changed = self._sync_status()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and changed:
            kwargs["update_fields"] = {*update_fields, *changed}
        super().save(*args, **kwargs)
        self._loaded_state = (self.live, self.status)

    # --- Preview (the public page, as it would be) -----------------------------------------

    def get_preview_template(self, request, mode_name):
        return "catalogue/work.html"

    def get_preview_context(self, request, mode_name):
        from .views import work_page_context

        context = super().get_preview_context(request, mode_name)
        context.update(work_page_context(self, request, preview=True))
        return context


def quote_inventory(inventory_number: str) -> str:
    """An inventory number as one URL path segment, reversibly ("2001/12 A" -> "2001%2F12%20A")."""
    return quote(inventory_number, safe="")


class WorkAuthor(models.Model):
    """A person named as author of a work, with the role and position the record gives."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="work_authors")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="work_authors")
    role = models.CharField(_("rôle"), max_length=120, blank=True)  # "peintre", "céramiste"...
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("auteur")
        verbose_name_plural = _("auteurs")

    def __str__(self):
        return f"{self.person} ({self.role})" if self.role else str(self.person)


class WorkPlace(models.Model):
    """A place tied to a work: where it was made, used or discovered."""

    class Role(models.TextChoices):
        CREATION = "creation", _("lieu de création")
        USE = "use", _("lieu d'utilisation")
        DISCOVERY = "discovery", _("lieu de découverte")

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="work_places")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="work_places")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return f"{self.place} ({self.get_role_display()})"


class WorkImage(models.Model):
    """An image of a work, in order, with what its reuse requires: credit, copyright, licence.

    The master file is a Wagtail image (stored once, in the museum's collection); the IIIF
    service serves it in any size.
    """

    class Licence(models.TextChoices):
        LICENCE_OUVERTE = "lo", _("Licence Ouverte")
        CC0 = "cc0", _("CC0 (domaine public)")
        CC_BY = "cc-by", _("CC BY")
        CC_BY_SA = "cc-by-sa", _("CC BY-SA")
        ALL_RIGHTS_RESERVED = "arr", _("Tous droits réservés")

    LICENCE_URLS = {
        "lo": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        "cc0": "https://creativecommons.org/publicdomain/zero/1.0/",
        "cc-by": "https://creativecommons.org/licenses/by/4.0/",
        "cc-by-sa": "https://creativecommons.org/licenses/by-sa/4.0/",
        "arr": "http://rightsstatements.org/vocab/InC/1.0/",
    }

    # A ParentalKey is a ForeignKey (same column) that the admin form edits inline with the work.
    work = ParentalKey(Work, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.PROTECT,
        related_name="work_images",
        verbose_name=_("image"),
    )
    position = models.PositiveSmallIntegerField(default=0)
    alt_text = models.CharField(_("texte alternatif"), max_length=500, blank=True)
    caption = models.CharField(_("légende"), max_length=500, blank=True)
    photographer = models.CharField(_("photographe"), max_length=255, blank=True)
    copyright_line = models.CharField(_("mention de copyright"), max_length=500, blank=True)
    licence = models.CharField(
        _("licence"), max_length=10, choices=Licence.choices, default=Licence.ALL_RIGHTS_RESERVED
    )
    high_resolution_download = models.BooleanField(
        _("téléchargement en haute définition autorisé"), default=False
    )

    # The admin's inline form orders the images by this field (drag and drop).
    sort_order_field = "position"

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("image d'œuvre")
        verbose_name_plural = _("images d'œuvres")

    def __str__(self):
        return self.alt_text or str(self.image)

    @property
    def licence_url(self) -> str:
        return self.LICENCE_URLS[self.licence]

    @property
    def credit_line(self) -> str:
        """What must be shown beside the image: photographer and copyright."""
        return " · ".join(part for part in [self.photographer, self.copyright_line] if part)
