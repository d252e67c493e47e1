"""Museums: the institutions of the network, each one a Wagtail page that its own staff edit."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from musees.core.fields import MultipleChoiceField
from musees.core.holidays import HOLIDAY_CHOICES
from musees.core.text import fold

from . import hours
from .querysets import MuseumPageQuerySet

# How many of its works a museum's page shows (the most recent), before "all its works".
MUSEUM_PAGE_WORKS = 8
# Words that open most museum names and tell nothing about which museum it is.
MONOGRAM_SKIPPED_WORDS = set(
    "musee musees museum museon maison ecomusee le la les l de du des d et en a au aux "
    "archeologique archeologie municipal municipale departemental departementale national "
    "nationale regional art arts beaux histoire naturelle site centre collections".split()
)

WEEKDAY_CHOICES = [
    ("0", _("lundi")),
    ("1", _("mardi")),
    ("2", _("mercredi")),
    ("3", _("jeudi")),
    ("4", _("vendredi")),
    ("5", _("samedi")),
    ("6", _("dimanche")),
]
MONTH_CHOICES = [
    (1, _("janvier")),
    (2, _("février")),
    (3, _("mars")),
    (4, _("avril")),
    (5, _("mai")),
    (6, _("juin")),
    (7, _("juillet")),
    (8, _("août")),
    (9, _("septembre")),
    (10, _("octobre")),
    (11, _("novembre")),
    (12, _("décembre")),
]


class Domain(models.Model):
    """A thematic domain of museums (Muséofile "Domaine thématique": Archéologie, Beaux-arts...)."""

    label = models.CharField(_("libellé"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=100, unique=True)

    panels = [FieldPanel("label"), FieldPanel("slug")]

    class Meta:
        ordering = ["label"]
        verbose_name = _("domaine thématique")
        verbose_name_plural = _("domaines thématiques")

    def __str__(self):
        return self.label


class MuseumIndexPage(Page):
    """The museums directory (/musees/): filters, map and list of every published museum."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["museums.MuseumPage"]
    parent_page_types = ["core.HomePage"]
    max_count = 1

    class Meta:
        verbose_name = _("annuaire des musées")

    def get_context(self, request, *args, **kwargs):
        from .views import directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(directory_context(request, self))
        return context


class MuseumPage(Page):
    """One museum of the network, with what a visitor needs before going.

    Its subtree will hold what the museum publishes (events, exhibitions, job offers), so that
    Wagtail's page permissions give each museum's staff their own museum and nothing else.
    """

    OWNER_TYPES = [
        ("commune", _("Commune")),
        ("intercommunalite", _("Intercommunalité")),
        ("departement", _("Département")),
        ("region", _("Région")),
        ("etat", _("État")),
        ("association", _("Association ou fondation")),
        ("prive", _("Personne privée")),
        ("autre", _("Autre")),
    ]

    # Identity
    museofile_id = models.CharField(
        _("identifiant Muséofile"),
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Par exemple M0572. Vide pour un musée qui n'a pas l'appellation."),
    )
    short_name = models.CharField(_("nom d'usage"), max_length=120, blank=True)
    legal_owner = models.CharField(_("propriétaire des collections"), max_length=200, blank=True)
    legal_owner_type = models.CharField(
        _("type de propriétaire"), max_length=20, choices=OWNER_TYPES, blank=True
    )
    is_musee_de_france = models.BooleanField(_("appellation « Musée de France »"), default=False)
    label_date = models.DateField(_("date de l'arrêté d'appellation"), null=True, blank=True)
    category = models.CharField(_("catégorie"), max_length=255, blank=True)

    # Where
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    address_place = models.CharField(_("lieu-dit ou bâtiment"), max_length=255, blank=True)
    postcode = models.CharField(_("code postal"), max_length=20, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    commune_slug = models.SlugField(max_length=120, blank=True, editable=False)
    departement_code = models.CharField(
        _("département (code)"), max_length=3, blank=True, db_index=True
    )
    departement_name = models.CharField(_("département"), max_length=80, blank=True)
    region = models.CharField(_("région"), max_length=80, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )

    # Contacts
    phone = models.CharField(_("téléphone"), max_length=120, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site web"), max_length=500, blank=True)

    # What it holds
    domains = ParentalManyToManyField(
        Domain, blank=True, related_name="museums", verbose_name=_("domaines")
    )
    themes_text = models.TextField(_("thèmes"), blank=True)
    artists = models.TextField(_("artistes"), blank=True)
    notable_people = models.TextField(_("personnages phares"), blank=True)
    interest = models.TextField(_("intérêt"), blank=True)
    history = models.TextField(_("histoire"), blank=True)
    highlights = models.TextField(_("atouts"), blank=True)
    description = RichTextField(
        _("présentation"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        help_text=_("Le texte du musée, écrit par son équipe."),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image principale"),
    )

    # Hours
    closed_holidays = MultipleChoiceField(
        _("fermé les jours fériés suivants"),
        choices=HOLIDAY_CHOICES,
        max_length=255,
    )
    hours_note = models.TextField(
        _("précisions sur les horaires"),
        blank=True,
        help_text=_("Par exemple : dernière entrée 30 minutes avant la fermeture."),
    )

    # Prices
    admission_free = models.BooleanField(_("entrée gratuite pour tous"), default=False)
    price_full = models.DecimalField(
        _("plein tarif (€)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    price_reduced = models.DecimalField(
        _("tarif réduit (€)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    free_for = models.TextField(
        _("gratuit pour"),
        blank=True,
        help_text=_("Par exemple : moins de 26 ans, demandeurs d'emploi."),
    )
    free_first_sunday = models.BooleanField(_("gratuit le premier dimanche du mois"), default=False)
    prices_note = models.TextField(_("précisions sur les tarifs"), blank=True)

    # Accessibility
    access_motor = models.BooleanField(
        _("accessible aux personnes à mobilité réduite"), default=False
    )
    access_hearing = models.BooleanField(_("adapté au handicap auditif"), default=False)
    access_visual = models.BooleanField(_("adapté au handicap visuel"), default=False)
    access_mental = models.BooleanField(_("adapté au handicap mental"), default=False)
    tourisme_handicap = models.BooleanField(_("label Tourisme & Handicap"), default=False)
    accessibility_note = models.TextField(_("précisions sur l'accessibilité"), blank=True)

    # Import bookkeeping: the value of each field as the last Muséofile import wrote it. A field
    # whose current value differs has been edited by the museum and is never overwritten.
    museofile_updated_on = models.DateField(
        _("mise à jour Muséofile"), null=True, blank=True, editable=False
    )
    imported_values = models.JSONField(default=dict, blank=True, editable=False)
    # Folded (lower-case, accent-free) names and commune, for accent-insensitive search.
    search_text = models.TextField(blank=True, editable=False)

    # Tenancy: the museum's own image/document collection and staff groups.
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    editors_group = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    managers_group = models.ForeignKey(
        "auth.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class ReviewBy(models.TextChoices):
        MUSEUM = "museum", _("les responsables du musée")
        NETWORK = "network", _("les modérateurs du réseau")

    # Who approves the changes of the museum's rédacteurs (musees/review): chosen by the museum's
    # responsables in the team screen, not in the page form (a rédacteur's draft cannot change it).
    review_by = models.CharField(
        _("relecture des modifications par"),
        max_length=10,
        choices=ReviewBy.choices,
        default=ReviewBy.MUSEUM,
        editable=False,
    )

    objects = PageManager.from_queryset(MuseumPageQuerySet)()

    parent_page_types = ["museums.MuseumIndexPage"]
    subpage_types: list[str] = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("commune"),
        index.SearchField("short_name"),
        index.FilterField("departement_code"),
    ]

    identity_panels = [
        FieldPanel("title", heading=_("Nom officiel")),
        FieldPanel("short_name"),
        FieldRowPanel(
            [FieldPanel("museofile_id"), FieldPanel("is_musee_de_france"), FieldPanel("label_date")]
        ),
        FieldRowPanel([FieldPanel("legal_owner"), FieldPanel("legal_owner_type")]),
        FieldPanel("category"),
        FieldPanel("image"),
        FieldPanel("description"),
        InlinePanel("gallery_images", heading=_("Galerie d'images"), label=_("image")),
    ]
    location_panels = [
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("address_place"),
                FieldRowPanel([FieldPanel("postcode"), FieldPanel("commune")]),
                FieldRowPanel(
                    [
                        FieldPanel("departement_code"),
                        FieldPanel("departement_name"),
                        FieldPanel("region"),
                    ]
                ),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
            ],
            heading=_("Adresse"),
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")],
            heading=_("Contacts"),
        ),
        InlinePanel("social_links", heading=_("Réseaux sociaux"), label=_("lien")),
    ]
    visit_panels = [
        InlinePanel("opening_hours", heading=_("Horaires d'ouverture"), label=_("plage horaire")),
        InlinePanel("closures", heading=_("Fermetures exceptionnelles"), label=_("fermeture")),
        FieldPanel("closed_holidays"),
        FieldPanel("hours_note"),
        MultiFieldPanel(
            [
                FieldPanel("admission_free"),
                FieldRowPanel([FieldPanel("price_full"), FieldPanel("price_reduced")]),
                FieldPanel("free_for"),
                FieldPanel("free_first_sunday"),
                FieldPanel("prices_note"),
            ],
            heading=_("Tarifs"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("access_motor"),
                FieldPanel("access_hearing"),
                FieldPanel("access_visual"),
                FieldPanel("access_mental"),
                FieldPanel("tourisme_handicap"),
                FieldPanel("accessibility_note"),
            ],
            heading=_("Accessibilité"),
        ),
    ]
    collection_panels = [
        FieldPanel("domains"),
        FieldPanel("themes_text"),
        FieldPanel("artists"),
        FieldPanel("notable_people"),
        FieldPanel("interest"),
        FieldPanel("history"),
        FieldPanel("highlights"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(identity_panels, heading=_("Le musée")),
            ObjectList(location_panels, heading=_("Adresse et contacts")),
            ObjectList(visit_panels, heading=_("Visiter")),
            ObjectList(collection_panels, heading=_("Collections et histoire")),
            ObjectList(Page.promote_panels, heading=_("Référencement")),
            ObjectList(Page.settings_panels, heading=_("Publication")),
        ]
    )

    class Meta:
        verbose_name = _("musée")
        verbose_name_plural = _("musées")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.commune_slug = slugify(self.commune)
        self.search_text = fold(" ".join(filter(None, [self.title, self.short_name, self.commune])))
        return super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """The museum's name as a heading shows it (Muséofile names start in lower case)."""
        return capfirst(self.short_name or self.title)

    @property
    def monogram(self) -> str:
        """The letter that stands for the museum on a card without a photo.

        The first word that tells museums apart: "Musée Agathois" gives A, not M; a name made
        only of generic words ("Musée archéologique") gives the commune's initial.
        """
        for word in fold(self.short_name or self.title).split():
            if word not in MONOGRAM_SKIPPED_WORDS and word[0].isalpha():
                return capfirst(self._original_word(word))[:1]
        return capfirst(self.commune or self.title)[:1]

    def _original_word(self, folded_word: str) -> str:
        """The word of the name, with its accents, whose folded form is `folded_word`."""
        for word in (self.short_name or self.title).replace("'", " ").replace("’", " ").split():
            if fold(word) == folded_word:
                return word
        return folded_word

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def website_host(self) -> str:
        """The website address without scheme, as people read it aloud."""
        return self.website.split("://", 1)[-1].rstrip("/") if self.website else ""

    @property
    def accessibility_features(self) -> list[str]:
        """Labels of the accessibility features the museum offers."""
        flags = [
            (self.access_motor, _("Mobilité réduite")),
            (self.access_hearing, _("Handicap auditif")),
            (self.access_visual, _("Handicap visuel")),
            (self.access_mental, _("Handicap mental")),
        ]
        return [label for flag, label in flags if flag]

    @cached_property
    def schedule(self) -> "hours.Schedule":
        """The museum's structured hours (from prefetched rows when the queryset has them)."""
        return hours.Schedule(
            rules=list(self.opening_hours.all()),
            closures=list(self.closures.all()),
            closed_holidays=set(self.closed_holidays),
        )

    def get_context(self, request, *args, **kwargs):
        from musees.catalogue.models import Work
        from musees.core.cache import cache_briefly

        if self.schedule.is_known:
            cache_briefly(request)  # the page says whether the museum is open right now
        context = super().get_context(request, *args, **kwargs)
        # Its most recent published works, cards and all, in one query.
        context["works"] = list(
            Work.objects.published()
            .for_museum(self)
            .with_card_fields()
            .recent_first()[:MUSEUM_PAGE_WORKS]
        )
        return context

    def is_open_at(self, moment: datetime.datetime) -> bool:
        """Whether the museum is open at a given local date and time."""
        return self.schedule.is_open_at(moment)

    def is_open_on(self, day: datetime.date) -> bool:
        """Whether the museum opens at all on a given date."""
        return self.schedule.is_open_on(day)


class MuseumGalleryImage(Orderable):
    """An image of the museum (building, rooms, highlights), in the order the museum chose."""

    page = ParentalKey(MuseumPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.CASCADE, related_name="+", verbose_name=_("image")
    )
    caption = models.CharField(_("légende"), max_length=255, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class MuseumSocialLink(Orderable):
    """A link to the museum's account on a social network."""

    NETWORKS = [
        ("facebook", "Facebook"),
        ("instagram", "Instagram"),
        ("mastodon", "Mastodon"),
        ("bluesky", "Bluesky"),
        ("youtube", "YouTube"),
        ("linkedin", "LinkedIn"),
        ("tiktok", "TikTok"),
        ("autre", _("Autre")),
    ]
    page = ParentalKey(MuseumPage, on_delete=models.CASCADE, related_name="social_links")
    network = models.CharField(_("réseau"), max_length=20, choices=NETWORKS)
    url = models.URLField(_("adresse"), max_length=500)

    panels = [FieldRowPanel([FieldPanel("network"), FieldPanel("url")])]


class OpeningHours(Orderable):
    """One opening slot: on these weekdays, from this time to that time, within an optional season.

    Several rows describe a lunch break (morning and afternoon rows) or seasons (summer and
    winter rows, with their first and last day). A row without season applies all year.
    """

    page = ParentalKey(MuseumPage, on_delete=models.CASCADE, related_name="opening_hours")
    weekdays = MultipleChoiceField(_("jours"), choices=WEEKDAY_CHOICES, max_length=20, blank=False)
    opens = models.TimeField(_("ouvre à"))
    closes = models.TimeField(_("ferme à"))
    season_label = models.CharField(
        _("saison"), max_length=60, blank=True, help_text=_("Par exemple : été.")
    )
    from_day = models.PositiveSmallIntegerField(
        _("du (jour)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    from_month = models.PositiveSmallIntegerField(
        _("du (mois)"), null=True, blank=True, choices=MONTH_CHOICES
    )
    to_day = models.PositiveSmallIntegerField(
        _("au (jour)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    to_month = models.PositiveSmallIntegerField(
        _("au (mois)"), null=True, blank=True, choices=MONTH_CHOICES
    )

    panels = [
        FieldPanel("weekdays"),
        FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")]),
        FieldPanel("season_label"),
        FieldRowPanel(
            [
                FieldPanel("from_day"),
                FieldPanel("from_month"),
                FieldPanel("to_day"),
                FieldPanel("to_month"),
            ]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("plage horaire")
        verbose_name_plural = _("horaires d'ouverture")

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.opens and self.closes and self.closes <= self.opens:
            errors["closes"] = _("L'heure de fermeture doit suivre l'heure d'ouverture.")
        season = [self.from_day, self.from_month, self.to_day, self.to_month]
        if any(v is not None for v in season) and not all(v is not None for v in season):
            errors["from_day"] = _(
                "Indiquez le premier et le dernier jour de la saison, ou aucun des deux."
            )
        elif all(v is not None for v in season):
            for day, month, field in [
                (self.from_day, self.from_month, "from_day"),
                (self.to_day, self.to_month, "to_day"),
            ]:
                try:
                    datetime.date(2024, month, day)  # a leap year, so 29 February is allowed
                except ValueError:
                    errors[field] = _("Cette date n'existe pas.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_season(self) -> bool:
        return None not in (self.from_day, self.from_month, self.to_day, self.to_month)


class MuseumClosure(Orderable):
    """An exceptional closure (works, event, strike...): from one date to another, inclusive."""

    page = ParentalKey(MuseumPage, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField(_("du"))
    end_date = models.DateField(
        _("au"), null=True, blank=True, help_text=_("Vide pour une seule journée.")
    )
    reason = models.CharField(_("motif"), max_length=255, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("reason"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("fermeture exceptionnelle")
        verbose_name_plural = _("fermetures exceptionnelles")

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fin de la fermeture doit suivre son début.")})

    @property
    def last_day(self) -> datetime.date:
        return self.end_date or self.start_date

    def covers(self, day: datetime.date) -> bool:
        """Whether the closure includes a given date."""
        return self.start_date <= day <= self.last_day
