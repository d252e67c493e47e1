"""The public frame and shared pages: home, legal pages, site map, errors, languages, cookies."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from musees.core import views
from musees.core.models import HomeFeaturedMuseum, HomePage
from musees.museums.models import MuseumIndexPage
from tests.museums.factories import MuseumPageFactory

LEGAL_URLS = ["/mentions-legales/", "/accessibilite/", "/donnees-personnelles/"]


@pytest.fixture
def site(db):
    """The site as `setup_site` builds it, with three museums in two départements."""
    call_command("setup_site", stdout=io.StringIO())
    index = MuseumIndexPage.objects.get()
    museums = [
        MuseumPageFactory(
            parent=index,
            title="musée Ingres Bourdelle",
            commune="Montauban",
            departement_code="82",
            departement_name="Tarn-et-Garonne",
        ),
        MuseumPageFactory(
            parent=index,
            title="musée Toulouse-Lautrec",
            commune="Albi",
            departement_code="81",
            departement_name="Tarn",
        ),
        MuseumPageFactory(
            parent=index,
            title="musée Goya",
            commune="Castres",
            departement_code="81",
            departement_name="Tarn",
        ),
    ]
    return {"home": HomePage.objects.get(), "index": index, "museums": museums}


def test_home_shows_figures_featured_museums_and_existing_sections_only(client, site):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Musées d&#x27;Occitanie" in html or "Musées d'Occitanie" in html
    assert re.search(r'key-figures__value">3<', html)
    assert re.search(r'key-figures__value">2<', html)  # two départements
    # Without a choice by the editors: one museum per département, the first by name.
    featured = html.split('id="featured-title"', 1)[1]
    assert "Musée Ingres Bourdelle" in featured
    assert "Musée Goya" in featured
    assert "Musée Toulouse-Lautrec" not in featured
    assert 'href="/musees/?departement=81"' in html
    assert 'action="/musees/"' in html
    # Only the sections that exist: the museums directory, no placeholder for the others.
    assert 'href="/musees/"' in html
    for missing in ["Expositions et événements", "Espace professionnel", "Métiers et emplois"]:
        assert missing not in html


def test_home_prefers_the_museums_the_editors_chose(client, site):
    chosen = site["museums"][2]
    HomeFeaturedMuseum.objects.create(page=site["home"], museum=chosen, sort_order=0)
    html = client.get("/").content.decode()
    featured = html.split('id="featured-title"', 1)[1]
    assert chosen.display_name in featured
    assert site["museums"][0].display_name not in featured


def test_footer_links_legal_pages_and_credits_data(client, site):
    html = client.get("/").content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    for url in [*LEGAL_URLS, "/plan-du-site/"]:
        assert f'href="{url}"' in footer
    assert "Accessibilité : partiellement conforme" in footer
    assert "Association Occitanie Musées" in footer
    assert "Muséofile" in footer and "Licence Ouverte" in footer and "février 2024" in footer


@pytest.mark.parametrize("url", LEGAL_URLS)
def test_legal_pages_render(client, site, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


def test_legal_notice_shows_publisher_and_host_sentence(client, site):
    html = client.get("/mentions-legales/").content.decode()
    assert "420 011 686 00011" in html
    assert "administrateur" in html  # the host is filled in by the installation's administrator


def test_site_map_lists_pages_and_museums_by_departement(
    client, site, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = client.get("/plan-du-site/")
    assert response.status_code == 200
    html = response.content.decode()
    for url in [*LEGAL_URLS, "/musees/"]:
        assert f'href="{url}"' in html
    assert "Tarn (81)" in html and "Tarn-et-Garonne (82)" in html
    assert html.index("Musée Goya") < html.index("Musée Toulouse-Lautrec")
    assert site["museums"][0].url in html


def test_site_map_queries_do_not_grow_with_museums(client, site, django_assert_max_num_queries):
    for n in range(10):
        MuseumPageFactory(parent=site["index"], title=f"musée {n}")
    with django_assert_max_num_queries(15):
        assert client.get("/plan-du-site/").status_code == 200


def test_404_uses_the_site_design(client, site):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "Cette page est introuvable" in html


def test_500_renders_without_database_or_request_context(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = views.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Le site rencontre un problème" in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/mentions-legales/", "/plan-du-site/"])
def test_english_versions_render_with_lang_en(client, site, url):
    response = client.get(f"/en{url}")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    # The language switcher links back to the same page in French, marked as such.
    assert f'href="{url}" hreflang="fr" lang="fr"' in html


def test_french_page_links_to_its_english_version(client, site):
    html = client.get("/mentions-legales/").content.decode()
    assert '<html lang="fr">' in html
    assert 'href="/en/mentions-legales/" hreflang="en" lang="en"' in html


@pytest.mark.parametrize(
    "url", ["/", "/en/", "/mentions-legales/", "/plan-du-site/", "/musees/musee-goya/", "/nope/"]
)
def test_no_cookie_for_anonymous_visitors(client, site, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


def test_pages_carry_no_inline_code(client, site):
    for url in ["/", *LEGAL_URLS, "/plan-du-site/", "/nope/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert (
                "src=" in tag
                or 'type="application/ld+json"' in tag
                or ('type="application/json"' in tag)
            ), (url, tag)
