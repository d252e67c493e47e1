"""Public pages of the catalogue: the collections list and the stable page of each work."""

from urllib.parse import unquote

from django.urls import path, register_converter

from . import views


class InventoryConverter:
    """An inventory number in a work's address, "/" and all ("2001/12 A", "Inv. n° 12#3").

    `reverse()` takes the number as `quote_inventory()` writes it (Work.get_absolute_url) or
    as is; Django then percent-encodes it once, keeping "/" ("/oeuvres/m/2001/12%20A/"). The
    server decodes the path before routing, so the view receives the number itself, and the
    fully quoted form ("2001%2F12%20A") reaches the same work.
    """

    regex = ".+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return unquote(value)


register_converter(InventoryConverter, "inventory")

app_name = "catalogue"
urlpatterns = [
    path("collections/", views.collections, name="search"),
    path("collections/suggestions/", views.suggestions, name="suggestions"),
    path(
        "oeuvres/<slug:museum_slug>/<inventory:inventory>/",
        views.work_detail,
        name="work",
    ),
]
