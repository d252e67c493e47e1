"""Views of the shared pages: home context, site map, error pages."""

from django.shortcuts import render
from wagtail.models import Page, Site


def home_context(request, page) -> dict:
    """What the home page shows besides its own fields."""
    from musees.museums.models import MuseumIndexPage, MuseumPage

    museums = MuseumPage.objects.live().public()
    featured = [f.museum for f in page.featured_museums.select_related("museum") if f.museum.live]
    return {
        "museum_count": museums.count(),
        "featured_museums": featured,
        "museum_index": MuseumIndexPage.objects.live().first(),
    }


def site_map(request):
    """Plan du site: every public page of the site, as a tree."""
    site = Site.find_for_request(request)
    root = site.root_page if site else Page.objects.filter(depth=2).first()
    pages = (
        root.get_descendants(inclusive=True).live().public().specific().order_by("path")
        if root
        else []
    )
    return render(request, "core/site_map.html", {"pages": pages, "root": root})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
