"""Pages and settings shared by the whole site: home, editorial pages, the network's identity."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index


@register_setting(icon="site")
class NetworkSettings(BaseSiteSetting):
    """Who publishes the site: shown in the footer and the legal pages."""

    organisation_name = models.CharField(_("nom de l'association"), max_length=200, blank=True)
    organisation_address = models.TextField(_("adresse du siège"), blank=True)
    organisation_siret = models.CharField(_("numéro SIRET"), max_length=20, blank=True)
    publication_director = models.CharField(
        _("directeur ou directrice de la publication"), max_length=200, blank=True
    )
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    host_description = models.TextField(
        _("hébergeur"),
        blank=True,
        help_text=_("Nom, adresse et téléphone de l'hébergeur du site."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("organisation_address"),
                FieldPanel("organisation_siret"),
                FieldPanel("publication_director"),
                FieldPanel("contact_email"),
                FieldPanel("host_description"),
            ],
            heading=_("Éditeur du site"),
        )
    ]

    class Meta:
        verbose_name = _("identité du réseau")


class HomePage(Page):
    """The network at a glance: search, map teaser, featured museums, entries to each section."""

    intro = models.TextField(_("accroche"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("featured_museums", heading=_("Musées à la une"), label=_("musée"), max_num=6),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        from .views import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(request, self))
        return context


class HomeFeaturedMuseum(Orderable):
    """A museum the network puts forward on the home page."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_museums")
    museum = models.ForeignKey(
        "museums.MuseumPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("musée")
    )

    panels = [PageChooserPanel("museum", "museums.MuseumPage")]


class StandardPage(Page):
    """An editorial page of text: legal notices, accessibility statement, about the network."""

    body = RichTextField(
        _("texte"),
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"],
    )
    last_reviewed = models.DateField(_("dernière révision"), null=True, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("body"), FieldPanel("last_reviewed")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    subpage_types = ["core.StandardPage"]

    class Meta:
        verbose_name = _("page de texte")
