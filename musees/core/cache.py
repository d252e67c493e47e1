"""Full-page cache of public pages for anonymous visitors.

A public page that an anonymous visitor asks for is the same for every anonymous visitor, so the
rendered response is kept in the cache (settings.PUBLIC_PAGE_CACHE_SECONDS) and served again
without touching the database.

What is cached: GET/HEAD requests without a session cookie (so no logged-in user, no preview,
no flash message), outside /admin/, whose response is a 200 that sets no cookie and does not vary
on Cookie (Django adds ``Vary: Cookie`` as soon as a view reads the session or the user, and a
CSRF cookie whenever a page renders a form: such pages are never cached, so CSRF keeps working).

The key is the scheme, host, language and full path (query string included), plus a "site
version" number kept in the cache. Publishing, unpublishing, deleting or moving a page, or saving
a museum, bumps that number, which retires every cached page at once (the old entries expire on
their own). Importers call :func:`public_cache_clear` after a run.

With the in-process cache (LocMemCache, the embedded default), each server process has its own
cache and its own site version: a change made in one process retires the pages cached by the
others only after PUBLIC_PAGE_CACHE_SECONDS. With the shared Redis cache (CACHE_URL), a change is
seen by every process at once.
"""

import hashlib
import time

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re

VERSION_KEY = "public-page-cache:version"
KEY_PREFIX = "public-page-cache:page"
CACHE_HEADER = "X-Public-Cache"
# Path prefixes that are never cached (the admin and what it serves).
EXCLUDED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/iiif/")
# Request cookies that can change what a page shows (the user, flash messages): with one of
# these, the cache is neither read nor written.
PRIVATE_COOKIES = ("messages",)
# A response may vary on these request headers and still be cached: the language is in the key.
CACHEABLE_VARY = {"accept-language"}
# A page that shows "open now" is kept at most this long, so the status is never more stale.
TIME_DEPENDENT_SECONDS = 60
# Response headers that are not stored (set afresh by the outer middleware on every response).
UNSTORED_HEADERS = {"content-security-policy", "content-security-policy-report-only"}


def _site_version() -> int:
    """The current site version; a fresh, never-used number when the cache has none."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # Milliseconds since the epoch: never equal to a version that was evicted from the cache,
        # so no page cached under an older version can come back.
        version = time.time_ns() // 1_000_000
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def public_cache_clear() -> None:
    """Retire every cached public page (call it after an import or any bulk change)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): start a fresh one
        cache.set(VERSION_KEY, time.time_ns() // 1_000_000 + 1, timeout=None)


def cache_briefly(request) -> None:
    """Mark the page being rendered as depending on the time of day (kept at most a minute)."""
    request.public_cache_seconds = TIME_DEPENDENT_SECONDS


def _request_language(request) -> str:
    """The language LocaleMiddleware will choose for this request (it runs after us)."""
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
    from_path = translation.get_language_from_path(request.path_info)
    if from_path:
        return from_path
    if i18n_patterns_used and not prefixed_default_language:
        return settings.LANGUAGE_CODE
    return translation.get_language_from_request(request, check_path=i18n_patterns_used)


def _is_cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(EXCLUDED_PREFIXES):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if any(name in request.COOKIES for name in PRIVATE_COOKIES):
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def _is_cacheable_response(response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if vary - CACHEABLE_VARY:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def _cache_key(request) -> str:
    raw = "\n".join(
        [
            request.method,
            request.scheme,
            request.get_host(),
            _request_language(request),
            request.get_full_path(),
        ]
    )
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return f"{KEY_PREFIX}:{_site_version()}:{digest}"


class PublicPageCacheMiddleware:
    """Serve anonymous visitors' public pages from the cache; fill it on a miss.

    Place it before SessionMiddleware (so that it sees the session's Vary: Cookie and Set-Cookie
    on the way out) and after the middleware that set per-response headers (security, CSP).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_cacheable_request(request):
            return self.get_response(request)
        key = _cache_key(request)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            response.headers[CACHE_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _is_cacheable_response(response):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in UNSTORED_HEADERS
            ]
            cache.set(
                key,
                (response.status_code, headers, response.content),
                min(
                    settings.PUBLIC_PAGE_CACHE_SECONDS,
                    getattr(request, "public_cache_seconds", settings.PUBLIC_PAGE_CACHE_SECONDS),
                ),
            )
            response.headers[CACHE_HEADER] = "miss"
        return response


# --- Invalidation -------------------------------------------------------------------------------


def _clear_on_signal(sender, **kwargs):
    public_cache_clear()


def _clear_on_page_delete(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        public_cache_clear()


def _clear_on_setting_save(sender, instance, **kwargs):
    from wagtail.contrib.settings.models import BaseSiteSetting

    if isinstance(instance, BaseSiteSetting):
        public_cache_clear()


def connect_signals() -> None:
    """Bump the site version whenever a page or site setting changes (idempotent).

    Apps whose plain models appear on public pages connect their own models to
    `public_cache_clear` (see museums/signals.py).
    """
    from wagtail.models import Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_clear_on_signal, dispatch_uid="public-cache-published")
    page_unpublished.connect(_clear_on_signal, dispatch_uid="public-cache-unpublished")
    post_page_move.connect(_clear_on_signal, dispatch_uid="public-cache-moved")
    post_delete.connect(_clear_on_page_delete, dispatch_uid="public-cache-page-deleted")
    post_save.connect(_clear_on_signal, sender=Site, dispatch_uid="public-cache-site")
    post_save.connect(_clear_on_setting_save, dispatch_uid="public-cache-settings")
