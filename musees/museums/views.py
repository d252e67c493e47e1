"""The museums directory (/musees/): filters, list, map.

Every published museum matching the SQL filters is loaded once, with its hours prefetched; the
"open now" / "open on" filters, the sort, the map data and the page of cards all come from that
one list, so the page runs the same number of queries for 3 museums or 300.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from musees.core import clock
from musees.core.cache import cache_briefly
from musees.core.geo import haversine_km
from musees.core.text import fold

from .forms import SORT_BY_DISTANCE, Choices, DirectoryFilterForm
from .models import Domain, MuseumPage

PER_PAGE = 24


@dataclass
class Card:
    """One museum of the list, with what depends on the request (distance, status)."""

    museum: MuseumPage
    distance_km: float | None = None
    status: dict | None = None
    hours_on_date: str = ""


def time_label(value: datetime.time) -> str:
    """A time as French signage writes it: "10 h", "14 h 30"."""
    if value.minute:
        return _("%(h)d h %(m)02d") % {"h": value.hour, "m": value.minute}
    return _("%(h)d h") % {"h": value.hour}


def slots_label(slots) -> str:
    """Slots of a day as text ("10 h – 12 h, 14 h – 18 h"), or "fermé"."""
    if not slots:
        return _("fermé")
    return ", ".join(f"{time_label(opens)} – {time_label(closes)}" for opens, closes in slots)


def result_label(count: int) -> str:
    """The results heading: « Aucun musée », « 1 musée », « 132 musées »."""
    if not count:
        return _("Aucun musée")
    return ngettext("%(count)d musée", "%(count)d musées", count) % {"count": count}


def card_status(museum: MuseumPage, now: datetime.datetime) -> dict | None:
    """The open/closed line of a card ({known, open, label, detail}), None without hours."""
    status = museum.schedule.status_at(now)
    if not status["known"]:
        return None
    if status["open"]:
        detail = _("jusqu'à %(t)s") % {"t": time_label(status["closes"])}
        return {"known": True, "open": True, "label": _("Ouvert"), "detail": detail}
    if status["next_is_today"]:
        detail = _("ouvre à %(t)s") % {"t": time_label(status["next_opens"])}
    elif status["next_is_tomorrow"]:
        detail = _("ouvre demain à %(t)s") % {"t": time_label(status["next_opens"])}
    elif status["next_day"]:
        detail = _("ouvre le %(d)s à %(t)s") % {
            "d": date_format(status["next_day"], "l j F"),
            "t": time_label(status["next_opens"]),
        }
    else:
        detail = ""
    return {"known": True, "open": False, "label": _("Fermé"), "detail": detail}


def directory_choices(museums) -> Choices:
    """The départements, communes and domains of the given museums (two queries)."""
    domains = (
        Domain.objects.filter(museums__in=museums.values("pk"))
        .distinct()
        .values_list("slug", "label")
    )
    return Choices.from_places(museums.places(), domains)


def apply_filters(museums, f: dict):
    """The museums matching the SQL-side filters of the directory."""
    if f["q"]:
        museums = museums.matching(f["q"])
    if f["departement"]:
        museums = museums.in_departement(f["departement"])
    if f["commune"]:
        museums = museums.in_commune(f["commune"])
    if f["domaine"]:
        museums = museums.with_domain(f["domaine"])
    if f["label"]:
        museums = museums.musees_de_france()
    if f["acces"]:
        museums = museums.accessible_for(f["acces"])
    if f["gratuit"]:
        museums = museums.free()
    return museums


def sort_museums(museums: list, origin) -> tuple[list, dict]:
    """Museums by name, or nearest first (those without coordinates last) with their distances."""
    museums = sorted(museums, key=lambda m: (fold(m.display_name), m.pk))
    if origin is None:
        return museums, {}
    distances = {
        m.pk: haversine_km(origin[0], origin[1], m.latitude, m.longitude)
        for m in museums
        if m.has_coordinates
    }
    museums.sort(key=lambda m: (m.pk not in distances, distances.get(m.pk, 0)))
    return museums, distances


def paginate(museums: list, raw_page: str, notices: list):
    """The requested page of results, or the nearest real one with a notice."""
    paginator = Paginator(museums, PER_PAGE)
    raw_page = (raw_page or "").strip()
    number = 1
    if raw_page:
        try:
            number = int(raw_page)
        except ValueError:
            notices.append(
                _("La page « %(page)s » n'existe pas : voici la première page.")
                % {"page": raw_page[:20]}
            )
        else:
            if number < 1:
                notices.append(
                    _("La page « %(page)s » n'existe pas : voici la première page.")
                    % {"page": raw_page[:20]}
                )
                number = 1
            elif number > paginator.num_pages:
                notices.append(
                    ngettext(
                        "La page « %(page)s » n'existe pas (%(count)d page en tout) : "
                        "voici la dernière.",
                        "La page « %(page)s » n'existe pas (%(count)d pages en tout) : "
                        "voici la dernière.",
                        paginator.num_pages,
                    )
                    % {"page": raw_page[:20], "count": paginator.num_pages}
                )
                number = paginator.num_pages
    return paginator.page(number)


def href(request, querystring: str) -> str:
    """A link to the directory with a query string (the bare page when it is empty)."""
    return f"{request.path}?{querystring}" if querystring else request.path


def pagination(request, form: DirectoryFilterForm, page_obj) -> dict | None:
    """Links of the pagination nav (keeping the filters); None for a single page."""
    paginator = page_obj.paginator
    if paginator.num_pages <= 1:
        return None
    links = []
    for number in paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1):
        if number == paginator.ELLIPSIS:
            links.append({"number": None})
        else:
            url = href(request, form.querystring(page=number))
            links.append({"number": number, "url": url, "current": number == page_obj.number})
    return {
        "links": links,
        "previous": href(request, form.querystring(page=page_obj.number - 1))
        if page_obj.has_previous()
        else "",
        "next": href(request, form.querystring(page=page_obj.number + 1))
        if page_obj.has_next()
        else "",
    }


def map_markers(museums: list, request) -> list[dict]:
    """What map.js needs for each museum with coordinates."""
    return [
        {
            "name": m.display_name,
            "url": m.get_url(request),
            "lat": round(m.latitude, 6),
            "lon": round(m.longitude, 6),
            "commune": m.commune,
        }
        for m in museums
        if m.has_coordinates
    ]


def directory_context(request, page) -> dict:
    """Everything museum_index_page.html shows, from the query string."""
    now = clock.now()
    published = MuseumPage.objects.child_of(page).published()
    form = DirectoryFilterForm(request.GET, choices=directory_choices(published))
    f = form.filters
    notices = form.notices

    origin = None
    if f["tri"] == SORT_BY_DISTANCE:
        if f["pres_de"]:
            origin = published.in_commune(f["pres_de"]).centroid()
            if origin is None:
                notices.append(
                    _(
                        "Les musées de cette commune ne sont pas placés sur la carte : "
                        "le tri par distance est ignoré."
                    )
                )
                form.cleaned_data.update(tri="nom", pres_de="")
        else:
            origin = (f["lat"], f["lon"])
    museums, distances = sort_museums(list(apply_filters(published, f).base_queryset()), origin)

    hours = None
    if f["ouvert"] or f["date"]:
        hours = {
            "total": len(museums),
            "with_hours": sum(1 for m in museums if m.schedule.is_known),
        }
        if f["ouvert"]:
            museums = [m for m in museums if m.schedule.is_open_at(now)]
        if f["date"]:
            museums = [m for m in museums if m.schedule.is_open_on(f["date"])]

    page_obj = paginate(museums, request.GET.get("page", ""), notices)
    cards = [
        Card(
            museum=m,
            distance_km=distances.get(m.pk),
            status=card_status(m, now),
            hours_on_date=slots_label(m.schedule.slots_on(f["date"]))
            if f["date"] and m.schedule.is_known
            else "",
        )
        for m in page_obj.object_list
    ]
    if f["ouvert"] or any(card.status for card in cards):
        cache_briefly(request)  # "open now" must not outlive the minute it was computed in
    count = len(museums)
    return {
        "filter_form": form,
        "filters": form.filters,
        "notices": notices,
        "chips": [(label, href(request, qs)) for label, qs in form.active_filters()],
        "cards": cards,
        "page_obj": page_obj,
        "pagination": pagination(request, form, page_obj),
        "reset_url": request.path,
        "result_count": count,
        "result_label": ngettext("%(count)d musée", "%(count)d musées", count) % {"count": count},
        "hours_info": hours,
        "map_markers": map_markers(museums, request),
        "sorted_by_distance": origin is not None,
        # The secondary criteria stay folded on phones unless one of them is in use.
        "more_filters_active": any(
            f[name] for name in ("domaine", "label", "acces", "gratuit", "ouvert", "date")
        )
        or f["tri"] == SORT_BY_DISTANCE
        or "date" in form.errors
        or "pres_de" in form.errors,
    }
