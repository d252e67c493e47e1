from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from musees.accounts import media_views
from musees.accounts import views as accounts_views
from musees.audit import views as audit_views
from musees.core import views as core_views

urlpatterns = [
    # Wagtail's login page leads to allauth's: one login path, with two-factor and lockout.
    path("admin/login/", accounts_views.admin_login_redirect),
    # Wagtail's image chooser format step has no collection check: scoped here.
    path(
        "admin/images/chooser/<int:image_id>/select_format/",
        media_views.scoped_image_select_format_view(),
        name="scoped_image_select_format",
    ),
    # Wagtail's "Site history" lists every museum's entries: the association's staff only.
    path(
        "admin/reports/site-history/",
        audit_views.NetworkSiteHistoryView.as_view(),
        name="network_site_history",
    ),
    path(
        "admin/reports/site-history/results/",
        audit_views.NetworkSiteHistoryView.as_view(results_only=True),
        name="network_site_history_results",
    ),
    # Wagtail admin views that showed another museum's objects: guarded (admin_guard_views.py).
    path("admin/", include("musees.accounts.admin_guard_urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("iiif/", include("musees.opendata.iiif.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("plan-du-site/", core_views.site_map, name="site_map"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("compte/", include("musees.accounts.urls")),
    path("compte/", include("allauth.urls")),
    path("_util/login/", accounts_views.admin_login_redirect),
    path("", include("musees.catalogue.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "musees.core.views.page_not_found"
handler500 = "musees.core.views.server_error"
