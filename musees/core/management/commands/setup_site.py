"""Create the site's page tree and identity: home, museums directory, legal pages, network settings.

Idempotent: run it on every deployment. It creates what is missing and never overwrites what
editors have changed (a page that exists keeps its text; a setting that is filled keeps its value).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.html import escape
from wagtail.models import Page, Site

from musees.core.models import HomePage, NetworkSettings, StandardPage
from musees.museums.models import MuseumIndexPage

HOME_TITLE = "Musées d'Occitanie"
HOME_SLUG = "accueil"
HOME_INTRO = (
    "Cent trente musées de France, des Pyrénées à la Méditerranée et au Massif central : "
    "trouvez celui qui vous attend près de chez vous, ses horaires, ses tarifs et ses collections."
)
INDEX_INTRO = (
    "<p>Tous les musées de France d'Occitanie, sur la carte et en liste : cherchez par nom, "
    "par commune, par département ou par domaine, et voyez ceux qui sont ouverts aujourd'hui.</p>"
)

# The association that publishes the site, as its convention with member museums names it
# (avenant n° 4 de la convention « site internet du réseau »).
NETWORK = {
    "organisation_name": "Association Occitanie Musées",
    "organisation_address": "Musée Ingres\n19, rue de l'Hôtel de Ville\n82000 Montauban",
    "organisation_siret": "420 011 686 00011",
    "publication_director": "Claire Muchir, présidente de l'association",
}

DATA_CREDIT = (
    "Ministère de la Culture, base Muséofile des musées de France, publiée sur "
    '<a href="https://data.culture.gouv.fr">data.culture.gouv.fr</a> sous Licence Ouverte '
    "(Etalab 2.0), version de février 2024"
)


def _mentions_legales() -> str:
    n = {key: escape(value) for key, value in NETWORK.items()}
    address = n["organisation_address"].replace("\n", ", ")
    return f"""
<h2>Éditeur du site</h2>
<p>Le site « {HOME_TITLE} » est édité par l'{n["organisation_name"]}, réseau des professionnels
des musées d'Occitanie, association régie par la loi du 1er juillet 1901, dont le siège est situé
{address}. Numéro SIRET : {n["organisation_siret"]}.</p>
<h2>Directrice de la publication</h2>
<p>{n["publication_director"]}. Les musées membres du réseau rédigent et publient eux-mêmes le
contenu de leur page ; ils en sont responsables, dans le cadre de la convention qui les lie à
l'association.</p>
<h2>Hébergement</h2>
<p>Le nom, l'adresse et le téléphone de l'hébergeur figurent dans l'encadré « Hébergement » au
bas de cette page. Ils sont renseignés par l'administrateur de l'installation, qui les tient à
jour.</p>
<h2>Propriété intellectuelle</h2>
<p>Les textes, photographies et reproductions d'œuvres publiés sur ce site appartiennent à leurs
auteurs, aux musées ou aux ayants droit qui les ont confiés au réseau. Sauf mention contraire
indiquée à côté d'un contenu, toute reproduction, représentation ou diffusion, totale ou
partielle, sans l'autorisation de leurs titulaires est interdite (articles L. 122-4 et suivants du
Code de la propriété intellectuelle).</p>
<p>Les logiciels qui font fonctionner ce site sont des logiciels libres.</p>
<h2>Données sur les musées</h2>
<p>Les informations de base sur les musées (nom, adresse, coordonnées, domaines, histoire,
atouts) proviennent de la source suivante : {DATA_CREDIT}. Chaque musée peut ensuite compléter
ou corriger sa page ; la date de la dernière mise à jour Muséofile est indiquée sur la page de
chaque musée. Vous pouvez réutiliser ces données librement, en citant leur source.</p>
<p>Les fonds de carte sont fournis par © les contributeurs OpenStreetMap, sous licence ODbL.</p>
<h2>Liens</h2>
<p>Le site propose des liens vers les sites des musées et vers d'autres sites publics.
L'association n'est pas responsable de leur contenu. Vous pouvez librement faire un lien vers
n'importe quelle page de ce site, sans autorisation préalable, à condition de ne pas l'afficher
à l'intérieur d'un autre site.</p>
<h2>Nous contacter</h2>
<p>Pour toute question sur le site ou pour signaler une erreur, écrivez à
l'{n["organisation_name"]},
{address}.</p>
"""


def _accessibilite() -> str:
    n = {key: escape(value) for key, value in NETWORK.items()}
    address = n["organisation_address"].replace("\n", ", ")
    return f"""
<p>L'{n["organisation_name"]} s'engage à rendre son site internet accessible, conformément à
l'article 47 de la loi n° 2005-102 du 11 février 2005 pour l'égalité des droits et des chances,
la participation et la citoyenneté des personnes handicapées.</p>
<p>Cette déclaration d'accessibilité s'applique au site « {HOME_TITLE} ».</p>
<h2>État de conformité</h2>
<p>Le site « {HOME_TITLE} » est <strong>partiellement conforme</strong> avec le référentiel
général d'amélioration de l'accessibilité (RGAA), version 4.1.</p>
<p>Le site n'a pas encore fait l'objet d'un audit de conformité. Il a été conçu et développé
pour respecter le RGAA : structure des pages par titres et régions, lien d'évitement,
navigation complète au clavier, contrastes suffisants, formulaires étiquetés, textes
alternatifs. Des tests automatisés vérifient chaque page principale à chaque modification.
Tant qu'un audit complet n'a pas été réalisé, nous le déclarons partiellement conforme.</p>
<h2>Contenus non accessibles</h2>
<p>En l'absence d'audit, la liste des non-conformités n'est pas encore établie. Nous savons
déjà que :</p>
<ul>
<li>les cartes interactives ne sont pas entièrement utilisables au clavier et au lecteur
d'écran ; l'adresse de chaque musée et un lien d'itinéraire sont toujours donnés en texte à
côté de la carte ;</li>
<li>certaines images et certains documents déposés par les musées peuvent ne pas avoir
d'alternative textuelle suffisante.</li>
</ul>
<h2>Établissement de cette déclaration</h2>
<p>Cette déclaration a été établie lors de la mise en ligne du site. Elle sera mise à jour après
l'audit de conformité.</p>
<p>Technologies utilisées pour la réalisation du site : HTML5, CSS, JavaScript (pour les cartes
seulement : toutes les informations restent disponibles sans JavaScript).</p>
<h2>Retour d'information et contact</h2>
<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter
l'{n["organisation_name"]} pour être orienté vers une alternative accessible ou obtenir le
contenu sous une autre forme, par courrier à l'adresse suivante : {address}.</p>
<h2>Voies de recours</h2>
<p>Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable du site
un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un des services du
portail et vous n'avez pas obtenu de réponse satisfaisante.</p>
<ul>
<li>Écrire un message au Défenseur des droits au moyen du
<a href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne</a>.</li>
<li>Contacter le délégué du Défenseur des droits dans votre région
(<a href="https://www.defenseurdesdroits.fr/carte-des-delegues">liste des délégués</a>).</li>
<li>Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits,
Libre réponse 71120, 75342 Paris CEDEX 07.</li>
</ul>
"""


def _donnees_personnelles() -> str:
    n = {key: escape(value) for key, value in NETWORK.items()}
    address = n["organisation_address"].replace("\n", ", ")
    return f"""
<p>L'{n["organisation_name"]}, {address}, est responsable des traitements de données
personnelles réalisés sur ce site. Cette page explique lesquels, pourquoi, et quels sont vos
droits, conformément au règlement général sur la protection des données (RGPD, règlement (UE)
2016/679) et à la loi n° 78-17 du 6 janvier 1978 relative à l'informatique, aux fichiers et aux
libertés.</p>
<h2>Visiteurs du site : ni cookie, ni pistage</h2>
<p>La consultation des pages publiques ne dépose aucun cookie sur votre appareil. Le site
n'utilise aucun outil de mesure d'audience, de publicité ou de réseau social, et ne transmet
aucune information vous concernant à des tiers.</p>
<p>Les cartes affichent des fonds de carte chargés depuis un serveur de tuiles : votre
navigateur lui transmet alors, comme à tout site, votre adresse IP et la zone affichée. Aucun
autre contenu n'est chargé depuis un autre site.</p>
<p>Si une mesure d'audience est mise en place plus tard, elle sera respectueuse de la vie privée,
sans cookie ni suivi d'un site à l'autre, et cette page sera mise à jour avant sa mise en
service.</p>
<h2>Journaux du serveur</h2>
<p>Comme tout serveur web, celui du site enregistre pour chaque requête l'adresse IP, la date,
la page demandée et le navigateur utilisé. Ces journaux servent uniquement à assurer la sécurité
et le bon fonctionnement du site (intérêt légitime). Ils ne sont consultés qu'en cas d'incident
et sont supprimés au bout de douze mois au plus.</p>
<h2>Comptes des professionnels</h2>
<p>Les personnels des musées membres et de l'association disposent d'un compte pour mettre à
jour les pages de leur musée. Nous conservons leur nom, leur adresse électronique, leur musée et
l'historique de leurs modifications, pour permettre la publication et garder la trace de qui a
publié quoi. Ces données sont conservées tant que le compte est actif, puis supprimées dans
l'année qui suit sa fermeture. Un cookie de session, strictement nécessaire, est déposé
uniquement lorsqu'une personne se connecte à son compte.</p>
<h2>Vos droits</h2>
<p>Vous disposez d'un droit d'accès, de rectification, d'effacement, de limitation et
d'opposition sur les données qui vous concernent. Pour les exercer, écrivez à
l'{n["organisation_name"]}, {address}, en précisant votre demande ; nous vous répondrons dans un
délai d'un mois.</p>
<p>Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez
adresser une réclamation à la Commission nationale de l'informatique et des libertés
(<a href="https://www.cnil.fr/fr/plaintes">CNIL</a>), 3 place de Fontenoy, TSA 80715,
75334 Paris CEDEX 07.</p>
"""


LEGAL_PAGES = [
    (
        "mentions-legales",
        "Mentions légales",
        "Qui édite ce site, qui l'héberge, et à quelles conditions réutiliser ses contenus.",
        _mentions_legales,
    ),
    (
        "accessibilite",
        "Déclaration d'accessibilité",
        "Le niveau d'accessibilité du site et comment nous signaler une difficulté.",
        _accessibilite,
    ),
    (
        "donnees-personnelles",
        "Données personnelles",
        "Aucun cookie ni pistage pour les visiteurs : ce que le site enregistre, et vos droits.",
        _donnees_personnelles,
    ),
]


def _publish(parent: Page, page: Page) -> Page:
    """Add a page under a parent and publish its first revision (so the admin shows a history)."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


class Command(BaseCommand):
    help = (
        "Crée ou complète l'arborescence du site (accueil, annuaire des musées, pages légales) "
        "et l'identité du réseau. Sans effet sur ce qui existe déjà."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        home = self.ensure_home()
        site = self.ensure_site(home)
        self.remove_welcome_pages(home)
        self.ensure_museum_index(home)
        for slug, title, description, body in LEGAL_PAGES:
            self.ensure_standard_page(home, slug, title, description, body())
        self.ensure_settings(site)
        self.stdout.write(self.style.SUCCESS(f"Site prêt : {site.root_url} ({home.title})."))

    def ensure_home(self) -> HomePage:
        home = HomePage.objects.first()
        if home:
            return home
        root = Page.get_first_root_node()
        self.stdout.write("Création de la page d'accueil.")
        return _publish(root, HomePage(title=HOME_TITLE, slug=HOME_SLUG, intro=HOME_INTRO))

    def ensure_site(self, home: HomePage) -> Site:
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        if site is None:
            return Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=HOME_TITLE,
            )
        if site.root_page_id != home.pk or not site.is_default_site:
            site.root_page = home
            site.is_default_site = True
            site.site_name = site.site_name or HOME_TITLE
            site.save()
        return site

    def remove_welcome_pages(self, home: HomePage) -> None:
        """Delete Wagtail's "Welcome to your new Wagtail site!" page (a plain Page at the top)."""
        plain = ContentType.objects.get_for_model(Page)
        welcome = Page.objects.filter(depth=2, content_type=plain).exclude(pk=home.pk)
        welcome = welcome.exclude(pk__in=Site.objects.values("root_page"))
        for page in welcome:
            self.stdout.write(f"Suppression de la page « {page.title} ».")
            page.delete()

    def ensure_museum_index(self, home: HomePage) -> MuseumIndexPage:
        index = MuseumIndexPage.objects.first()
        if index:
            return index
        self.stdout.write("Création de l'annuaire des musées.")
        return _publish(home, MuseumIndexPage(title="Musées", slug="musees", intro=INDEX_INTRO))

    def ensure_standard_page(self, home, slug, title, description, body) -> StandardPage:
        existing = StandardPage.objects.child_of(home).filter(slug=slug).first()
        if existing:
            return existing
        self.stdout.write(f"Création de la page « {title} ».")
        page = StandardPage(
            title=title, slug=slug, search_description=description, body=body.strip()
        )
        return _publish(home, page)

    def ensure_settings(self, site: Site) -> NetworkSettings:
        settings = NetworkSettings.for_site(site)
        changed = False
        for field, value in NETWORK.items():
            if not getattr(settings, field):
                setattr(settings, field, value)
                changed = True
        if changed:
            settings.save()
        return settings
