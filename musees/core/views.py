"""Views of the shared pages: home context, site map, error pages."""

from itertools import groupby

from django.conf import settings
from django.db.models.functions import Lower
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from wagtail.models import Page, Site

from .cache import cache_briefly

# How many museums the home page puts forward when the editors have chosen none.
FEATURED_FALLBACK_COUNT = 6


def _featured_fallback(museums) -> list:
    """One museum per département (the first by name), so the home page shows the whole region."""
    picked, seen = [], set()
    for pk, code in museums.order_by("departement_code", "title").values_list(
        "pk", "departement_code"
    ):
        if code not in seen:
            seen.add(code)
            picked.append(pk)
        if len(picked) == FEATURED_FALLBACK_COUNT:
            break
    by_pk = {m.pk: m for m in museums.filter(pk__in=picked).base_queryset()}
    return [by_pk[pk] for pk in picked if pk in by_pk]


def home_context(request, page) -> dict:
    """What the home page shows besides its own fields."""
    from musees.museums.models import MuseumIndexPage, MuseumPage

    museums = MuseumPage.objects.live().public()
    featured = [
        f.museum
        for f in page.featured_museums.select_related("museum", "museum__image").prefetch_related(
            "museum__opening_hours", "museum__closures", "museum__domains"
        )
        if f.museum.live
    ] or _featured_fallback(museums)
    departements = []
    rows = (
        museums.exclude(departement_code="")
        .order_by("departement_code")
        .values_list("departement_code", "departement_name")
    )
    for code, group in groupby(rows, key=lambda row: row[0]):
        names = [name for _code, name in group]
        departements.append({"code": code, "name": max(names, key=len), "count": len(names)})
    from musees.museums.views import map_markers

    if any(museum.schedule.is_known for museum in featured):
        cache_briefly(request)  # featured cards say whether each museum is open now
    return {
        "museum_count": museums.count(),
        "map_markers": map_markers(
            museums.only("title", "short_name", "url_path", "latitude", "longitude", "commune"),
            request,
        ),
        "departement_count": len(departements),
        "departements": departements,
        "featured_museums": featured,
        "museum_index": MuseumIndexPage.objects.live().first(),
    }


def _tree(pages) -> list[dict]:
    """Nest pages ordered by path into [{page, children}] by their depth."""
    roots: list[dict] = []
    stack: list[dict] = []
    for page in pages:
        node = {"page": page, "children": []}
        while stack and stack[-1]["page"].depth >= page.depth:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(node)
        stack.append(node)
    return roots


def site_map(request):
    """Plan du site: every public page of the site as a tree, and the museums by département."""
    from musees.museums.models import MuseumPage

    site = Site.find_for_request(request)
    root = site.root_page if site else Page.objects.filter(depth=2).first()
    pages, departements = [], []
    if root:
        pages = list(
            root.get_descendants(inclusive=True)
            .live()
            .public()
            .not_type(MuseumPage)
            .only("title", "url_path", "depth", "path")
            .order_by("path")
        )
        museums = (
            MuseumPage.objects.live()
            .public()
            .descendant_of(root)
            .only(
                "title", "short_name", "url_path", "commune", "departement_code", "departement_name"
            )
            .order_by("departement_code", Lower("title"))
        )
        departements = [
            {"code": code, "name": name, "museums": list(group)}
            for (code, name), group in groupby(
                museums, key=lambda m: (m.departement_code, m.departement_name)
            )
        ]
    return render(
        request,
        "core/site_map.html",
        {"tree": _tree(pages), "root": root, "departements": departements},
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """The 500 page, rendered without the request: no context processor may touch the database."""
    html = loader.render_to_string("500.html", {"SITE_NAME": settings.WAGTAIL_SITE_NAME})
    return HttpResponseServerError(html)
