"""Public pages of the catalogue: /collections/ (the catalogue search, with facets, a map of
the museums holding the results and autocompletion) and the page of each work at its stable
address.

The search page asks the search engine (musees.search.service) for one page of works and every
facet's exact counts: its number of queries does not grow with the catalogue, and page 1,000 is
as quick as page 1 (nothing is counted with a Paginator over a queryset).
"""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from musees.museums.models import MuseumPage
from musees.search.analysis import words
from musees.search.service import FACET_LABELS, SORT_LABELS, search, suggest

from . import presenters
from .forms import BAD_VALUE, FACET_PARAMS, MAP_VIEW, PARAM_OF_FACET, SORT_PARAMS, SearchParams
from .models import Work
from .querysets import RELATED_LIMIT

# Facet lists longer than this show their first entries and fold the rest.
FACET_VISIBLE = 8
# An empty result proposes to remove each filter; at most this many get their count (one more
# search each).
EMPTY_COUNTED = 3
SUGGESTIONS_LIMIT = 8
TYPED_WORDS_SUGGESTED = 3


def _number(count: int) -> str:
    return number_format(count, force_grouping=True)


def works_label(count: int) -> str:
    """ "1 234 œuvres"."""
    return ngettext("%(count)s œuvre", "%(count)s œuvres", count) % {"count": _number(count)}


def _facet_labels() -> dict[str, str]:
    return {param: str(FACET_LABELS[facet]) for param, facet in FACET_PARAMS.items()}


def _facets(results, params: SearchParams) -> list[dict]:
    """The facets as the form shows them: a fieldset each, the first values, the rest folded."""
    facets = []
    for facet in results.facets:
        if not facet.values:
            continue
        param = PARAM_OF_FACET[facet.name]
        values = [
            {
                "value": v.value,
                "label": v.label,
                "count": _number(v.count),
                "raw_count": v.count,
                "selected": v.selected,
                "id": f"f-{param}-{v.value}",
            }
            for v in facet.values
        ]
        folded = values[FACET_VISIBLE:]
        facets.append(
            {
                "param": param,
                "label": facet.label,
                "visible": values[:FACET_VISIBLE],
                "folded": folded,
                "open": any(v["selected"] for v in folded),
            }
        )
    return facets


def _chips(results, params: SearchParams) -> list[dict]:
    """The active filters, each with the link that removes it (and the parameters left)."""
    chips = []
    if params.q:
        chips.append(
            {
                "label": _("Recherche : « %(text)s »") % {"text": params.q},
                "params": params.changed(q=""),
            }
        )
    for facet in results.facets:
        param = PARAM_OF_FACET[facet.name]
        for value in facet.selected:
            chips.append(
                {
                    "label": _("%(facet)s : %(value)s")
                    % {"facet": facet.label, "value": value.label},
                    "params": params.toggled(param, value.value),
                }
            )
    for chip in chips:
        chip["url"] = chip["params"].url()
    return chips


def _pages(params: SearchParams, number: int, num_pages: int) -> dict | None:
    """The pagination links: first, last, the current page and its neighbours, "…" between."""
    if num_pages <= 1:
        return None
    shown = sorted({1, 2, number - 1, number, number + 1, num_pages - 1, num_pages})
    links, previous = [], 0
    for page in shown:
        if not 1 <= page <= num_pages:
            continue
        if page - previous > 1:
            links.append({"number": None})
        links.append({"number": page, "url": params.url(page=page), "current": page == number})
        previous = page
    return {
        "links": links,
        "previous": params.url(page=number - 1) if number > 1 else "",
        "next": params.url(page=number + 1) if number < num_pages else "",
    }


def _word_suggestions(params: SearchParams) -> list[dict]:
    """For a search that found nothing: the typed words, each replaced by a known word that
    starts like it (its autocompletion), with the number of works holding that word."""
    proposals, seen = [], set()
    typed = [w for w in params.q.split() if len(words(w)) == 1][:TYPED_WORDS_SUGGESTED]
    # A completed word's count is that of a search of the word alone, without filters.
    exact = len(params.q.split()) == 1 and not params.filters
    for word in typed:
        folded = words(word)[0]
        if len(folded) < 3:
            continue
        stem_length = max(3, len(folded) * 2 // 3)
        for item in suggest(folded[:stem_length], 3):
            if item["text"] == folded or item["text"] in seen:
                continue
            seen.add(item["text"])
            text = params.q.replace(word, item["text"], 1)
            proposals.append(
                {
                    "text": text,
                    "count": works_label(item["count"]) if exact else "",
                    "url": params.changed(q=text).url(),
                }
            )
    return proposals[:6]


def _empty_help(chips: list[dict], params: SearchParams) -> dict:
    """What to change when nothing matches: each filter removed (with the count it would give,
    for the first few), and words that exist for the words typed."""
    removals = []
    for position, chip in enumerate(chips if params.filters else []):
        removal = {"label": chip["label"], "url": chip["url"], "count": ""}
        if position < EMPTY_COUNTED:
            total = search(chip["params"].query(per_page=1, page=1)).total
            removal["count"] = works_label(total)
        removals.append(removal)
    return {
        "removals": removals,
        "words": _word_suggestions(params) if params.q else [],
        "several_words": len(params.q.split()) > 1,
    }


def _map_markers(results, params: SearchParams, request) -> list[dict]:
    """One marker per museum holding results: its count and the list filtered on it."""
    counts = {v.value: v.count for v in results.facet("museum").values if v.count}
    museums = (
        MuseumPage.objects.live()
        .filter(slug__in=list(counts))
        .only("pk", "slug", "title", "short_name", "commune", "latitude", "longitude")
    )
    markers = []
    for museum in sorted(museums, key=lambda m: -counts[m.slug]):
        filters = {**params.filters, "musee": [museum.slug]}
        label = works_label(counts[museum.slug])
        markers.append(
            {
                "name": museum.display_name,
                "url": params.changed(filters=filters, vue="").url(),
                "lat": round(museum.latitude, 6) if museum.has_coordinates else None,
                "lon": round(museum.longitude, 6) if museum.has_coordinates else None,
                "commune": f"{label} · {museum.commune}" if museum.commune else label,
                "count": label,
            }
        )
    return markers


def collections(request):
    """/collections/: search the published works of the network's museums."""
    params = SearchParams.from_request(request.GET, path=request.path, facet_labels=_facet_labels())
    map_view = params.vue == MAP_VIEW
    results = search(params.query(per_page=1) if map_view else params.query())
    notices = list(params.notices)
    for facet, value in results.unknown_filters:
        notices.append(str(BAD_VALUE % {"label": FACET_LABELS[facet], "value": value[:40]}))
    params = params.without_unknown(results.unknown_filters)
    params.page = results.query.page
    total = results.total
    chips = _chips(results, params)
    result_label = works_label(total)

    if params.q:
        title = _("« %(text)s » · %(count)s · Collections") % {
            "text": params.q[:60],
            "count": result_label,
        }
    else:
        title = _("Collections · %(count)s") % {"count": result_label}
    if results.num_pages > 1 and not map_view:
        title += " · " + _("page %(n)s sur %(total)s") % {
            "n": _number(params.page),
            "total": _number(results.num_pages),
        }
    markers = _map_markers(results, params, request) if map_view else []
    response = render(
        request,
        "catalogue/collections.html",
        {
            "params": params,
            "results": results,
            "hits": [] if map_view else results.hits,
            "total": total,
            "result_label": result_label,
            "page_title": title,
            "facets": _facets(results, params),
            "chips": chips,
            "notices": notices,
            "sorts": [
                (param, SORT_LABELS[engine_sort]) for param, engine_sort in SORT_PARAMS.items()
            ],
            "pagination": None if map_view else _pages(params, params.page, results.num_pages),
            "map_view": map_view,
            "map_markers": [m for m in markers if m["lat"] is not None],
            "map_museums": markers,
            "list_url": params.url(vue=""),
            "map_url": params.url(vue=MAP_VIEW),
            "reset_url": request.path,
            "empty": _empty_help(chips, params) if not total and (chips or params.q) else None,
            "noindex": not params.is_bare or bool(notices),
            "suggestions_url": request.path + "suggestions/",
            "crumbs": [
                {"title": _("Accueil"), "url": presenters.home_url()},
                {"title": _("Collections"), "url": request.path},
            ],
        },
    )
    response["Server-Timing"] = ", ".join(
        f"{name.removesuffix('_ms')};dur={value}" for name, value in results.timings.items()
    )
    return response


def suggestions(request):
    """/collections/suggestions/?q=amph: completions of the last word typed, as JSON."""
    text = request.GET.get("q", "")[:200].replace("\x00", " ")
    items = suggest(text, SUGGESTIONS_LIMIT)
    return JsonResponse(
        {
            "query": text,
            "suggestions": [
                {"text": item["text"], "count": item["count"], "label": works_label(item["count"])}
                for item in items
            ],
        }
    )


def work_detail(request, museum_slug: str, inventory: str):
    """The page of one published work: its record, images, related works and JSON-LD."""
    work = (
        Work.objects.published()
        .detail_queryset()
        .filter(museum__slug=museum_slug, inventory_number=inventory)
        .first()
    )
    if work is None:
        raise Http404(_("Aucune œuvre publiée ne porte ce numéro dans ce musée."))

    return render(request, "catalogue/work.html", work_page_context(work, request))


def work_page_context(work, request, preview: bool = False) -> dict:
    """What the page of a work shows. `preview`: the work as the admin's preview shows it (a
    draft or a revision, perhaps never saved): no related works, no structured data."""
    related = []
    shown: list[int] = []
    for by, title, link, link_label in [] if preview else _related_strips(work):
        works = list(
            Work.objects.published()
            .related_to(work, by=by, exclude=shown)
            .with_card_fields()[:RELATED_LIMIT]
        )
        if works:
            shown.extend(w.pk for w in works)
            related.append(
                {
                    "key": by,
                    "title": title,
                    "works": works,
                    "more_url": link,
                    "more_label": link_label,
                }
            )

    museums_index = work.museum.get_parent()
    trail = presenters.breadcrumbs(work, request, museums_index)
    images = list(work.images.all())
    first = images[0] if images else None
    return {
        "work": work,
        "museum": work.museum,
        "museum_url": work.museum.get_url(request),
        "subtitle": presenters.work_subtitle(work),
        "groups": presenters.work_groups(work),
        "authors": list(work.work_authors.all()) if work.pk else [],
        "domains": list(work.domains.all()),
        "first_image": first,
        "still": presenters.still_image(first) if first else None,
        "iiif_info_url": presenters.iiif_info_url(first.image_id) if first else "",
        "other_images": [
            {"image": image, "still": presenters.still_image(image, max_width=800)}
            for image in images[1:]
        ],
        "manifest_url": presenters.iiif_manifest_url(work) if work.pk else "",
        "heading": presenters.work_heading(work, presenters.first_denomination(work)),
        "monogram": presenters.monogram(work, presenters.first_denomination(work)),
        "related": related,
        "crumbs": trail,
        "jsonld": []
        if preview
        else [
            presenters.work_jsonld(work, request),
            presenters.breadcrumb_jsonld(trail, request),
        ],
        "collections_url": presenters.collections_url(musee=work.museum.slug),
        "is_preview": preview,
    }


def _related_strips(work):
    """The related-work strips of a work page: (relation, heading, link to more, its words)."""
    authors = [link.person for link in work.work_authors.all()]
    domains = list(work.domains.all())
    periods = list(work.periods.all())
    see_all = _("Voir toutes")
    strips = []
    if len(authors) == 1:
        strips.append(
            (
                "author",
                _("Du même auteur : %(name)s") % {"name": authors[0].label},
                presenters.collections_url(auteur=authors[0].slug),
                see_all,
            )
        )
    elif authors:
        strips.append(("author", _("Des mêmes auteurs"), "", ""))
    if len(domains) == 1:
        strips.append(
            (
                "domain",
                _("Du même domaine : %(domain)s") % {"domain": domains[0].label},
                presenters.collections_url(domaine=domains[0].slug),
                see_all,
            )
        )
    elif domains:
        strips.append(("domain", _("Des mêmes domaines"), "", ""))
    if periods or work.year_start is not None:
        title = (
            _("De la même période : %(period)s") % {"period": periods[0].label}
            if len(periods) == 1
            else _("De la même période")
        )
        more_url = more_label = ""
        if len(periods) == 1:
            more_url = presenters.collections_url(periode=periods[0].slug)
            more_label = see_all
        strips.append(("period", title, more_url, more_label))
    return strips
