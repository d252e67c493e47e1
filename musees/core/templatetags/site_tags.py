"""Template tags of the page frame: navigation, language links, legal pages, JSON-LD."""

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from musees.core import jsonld

register = template.Library()

# The legal pages that `setup_site` creates under the home page, in footer order, with the
# words the footer links show (the accessibility link states the compliance level, as RGAA asks).
LEGAL_LINKS = [
    ("mentions-legales", _("Mentions légales")),
    ("accessibilite", _("Accessibilité : partiellement conforme")),
    ("donnees-personnelles", _("Données personnelles")),
]
LEGAL_SLUGS = [slug for slug, _label in LEGAL_LINKS]


def _request_cache(context, key, compute):
    """Compute a value once per request (the header and the footer both ask)."""
    request = context.get("request")
    cache = getattr(request, "_musees_frame", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._musees_frame = cache
    if key not in cache:
        cache[key] = compute()
    return cache[key]


@register.simple_tag(takes_context=True)
def nav_sections(context) -> list[dict]:
    """The sections of the site that exist, each marked current when the visitor is inside it."""
    sections = context.get("site_sections")
    found = _request_cache(
        context, "sections", lambda: list(sections() if callable(sections) else sections or [])
    )
    request = context.get("request")
    path = request.path if request is not None else ""
    return [
        {**s, "current": path == s["url"], "inside": path.startswith(s["url"]) and s["url"] != "/"}
        for s in found
    ]


@register.simple_tag(takes_context=True)
def directory_url(context) -> str:
    """The URL of the museums directory, where every museum search goes ("" before it exists)."""
    return next((s["url"] for s in nav_sections(context) if s["key"] == "musees"), "")


def _switch_language(path: str, lang_code: str) -> str:
    """The same address in another language (the default one has no prefix)."""
    url = translate_url(path, lang_code)
    if url != path or lang_code == get_language():
        return url
    # translate_url cannot resolve some paths (a 404): swap the prefix ourselves.
    prefixes = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    bare = path
    for code in prefixes:
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            bare = path[len(code) + 1 :] or "/"
            break
    return bare if lang_code == settings.LANGUAGE_CODE else f"/{lang_code}{bare}"


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """Every language of the site with the current page's address in it."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = _switch_language(path, code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": request.build_absolute_uri(url) if request is not None else url,
                "current": code == current,
            }
        )
    return links


@register.simple_tag(takes_context=True)
def legal_pages(context) -> list[dict]:
    """The published legal pages as {slug, label, url}, in footer order."""
    from musees.core.models import StandardPage

    request = context.get("request")

    def compute():
        pages = StandardPage.objects.live().public().filter(slug__in=LEGAL_SLUGS, depth=3)
        urls = {p.slug: p.get_url(request) for p in pages}
        return [
            {"slug": slug, "label": label, "url": urls[slug]}
            for slug, label in LEGAL_LINKS
            if slug in urls
        ]

    return _request_cache(context, "legal", compute)


@register.simple_tag
def jsonld_script(data):
    """A <script type="application/ld+json"> element for a JSON-LD document."""
    return jsonld.script(data)


@register.simple_tag(takes_context=True)
def absolute_url(context, target) -> str:
    """The absolute URL of a page or of a path, on the host the visitor used."""
    request = context.get("request")
    url = target.get_url(request) if hasattr(target, "get_url") else str(target or "")
    return request.build_absolute_uri(url) if request is not None else url
