"""setup_site: the page tree and the network's identity, created once and never duplicated."""

import io

from django.core.management import call_command
from wagtail.models import Page, Site

from musees.core.models import HomePage, NetworkSettings, StandardPage
from musees.museums.models import MuseumIndexPage


def run():
    call_command("setup_site", stdout=io.StringIO())


def test_setup_site_builds_the_tree_once(db):
    assert Page.objects.filter(depth=2, title__startswith="Welcome").exists()

    run()
    run()

    home = HomePage.objects.get()
    assert home.title == "Musées d'Occitanie"
    assert home.intro
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert not Page.objects.filter(title__startswith="Welcome").exists()
    assert Page.objects.filter(depth=2).count() == 1

    index = MuseumIndexPage.objects.get()
    assert (index.slug, index.title, index.get_parent().pk) == ("musees", "Musées", home.pk)
    assert index.live

    legal = StandardPage.objects.child_of(home).live()
    assert sorted(legal.values_list("slug", flat=True)) == [
        "accessibilite",
        "donnees-personnelles",
        "mentions-legales",
    ]
    assert StandardPage.objects.count() == 3


def test_legal_texts_are_real_and_complete(db):
    run()
    mentions = StandardPage.objects.get(slug="mentions-legales").body
    assert "Association Occitanie Musées" in mentions
    assert "420 011 686 00011" in mentions
    assert "Claire Muchir" in mentions
    assert "Licence Ouverte" in mentions
    accessibility = StandardPage.objects.get(slug="accessibilite").body
    assert "partiellement conforme" in accessibility
    assert "pas encore fait l'objet d'un audit" in accessibility
    assert "Défenseur des droits" in accessibility
    privacy = StandardPage.objects.get(slug="donnees-personnelles").body
    assert "CNIL" in privacy
    assert "cookie" in privacy
    for page in StandardPage.objects.all():
        assert "lorem" not in page.body.lower()


def test_network_settings_filled_without_overwriting_edits(db):
    run()
    site = Site.objects.get(is_default_site=True)
    settings = NetworkSettings.for_site(site)
    assert settings.organisation_name == "Association Occitanie Musées"
    assert "82000 Montauban" in settings.organisation_address
    assert settings.organisation_siret == "420 011 686 00011"
    assert "Claire Muchir" in settings.publication_director
    assert settings.host_description == ""  # set by the installation's administrator

    settings.organisation_name = "Occitanie Musées"
    settings.save()
    page = StandardPage.objects.get(slug="mentions-legales")
    page.body = "<p>Texte revu par l'association.</p>"
    page.save()
    run()
    assert NetworkSettings.for_site(site).organisation_name == "Occitanie Musées"
    assert StandardPage.objects.get(slug="mentions-legales").body.startswith("<p>Texte revu")
