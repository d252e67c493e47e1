"""Public pages of the catalogue: /collections/ (browse by museum, domain, century) and the
page of each work at its stable address.

Both run a constant number of queries: the list counts its facets with one GROUP BY each and
annotates its cards in the query of the page; the work page prefetches its relations and asks
for each strip of related works once.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from musees.museums.views import paginate

from . import presenters
from .forms import CollectionsFilterForm
from .models import Person, Work
from .querysets import RELATED_LIMIT, century_of

PER_PAGE = 24
# Facet lists longer than this show their first entries and fold the rest.
FACET_VISIBLE = 8


def _facet(items: list[dict], param: str, current, form) -> dict:
    """A facet: its entries as {label, count, url, active}; the chosen one's link removes it."""
    entries = []
    for item in items:
        active = str(item["value"]) == str(current)
        entries.append(
            {
                **item,
                "active": active,
                "url": form.url(**{param: None if active else item["value"], "page": None}),
            }
        )
    return {
        "param": param,
        "entries": entries,
        "visible": entries[:FACET_VISIBLE],
        "folded": entries[FACET_VISIBLE:],
        "has_active": any(e["active"] for e in entries),
    }


def collections(request):
    """/collections/: every published work, filtered by museum, domain, century or author."""
    form = CollectionsFilterForm(request.GET, path=request.path)
    f = form.filters
    published = Work.objects.published()

    def filtered(*, skip: str = ""):
        qs = published
        if f["musee"] and skip != "musee":
            qs = qs.in_museum(f["musee"])
        if f["domaine"] and skip != "domaine":
            qs = qs.with_domain(f["domaine"])
        if f["siecle"] is not None and skip != "siecle":
            qs = qs.in_century(f["siecle"])
        if f["auteur"]:
            qs = qs.by_person(f["auteur"])
        return qs

    museums = [
        {
            "value": row["museum__slug"],
            "label": capfirst(row["museum__short_name"] or row["museum__title"]),
            "count": row["count"],
        }
        for row in filtered(skip="musee").museum_counts()
    ]
    museums.sort(key=lambda m: m["label"].lower())
    domains = [
        {"value": row["domain__slug"], "label": row["domain__label"], "count": row["count"]}
        for row in filtered(skip="domaine").domain_counts()
    ]
    centuries = [
        {
            "value": row["century"],
            "label": presenters.century_label(row["century"]),
            "count": row["count"],
        }
        for row in filtered(skip="siecle").century_counts()
    ]
    person = Person.objects.filter(slug=f["auteur"]).first() if f["auteur"] else None

    works = filtered().with_card_fields().catalogue_order()
    notices = list(form.notices)
    page_obj = paginate(works, request.GET.get("page", ""), notices)
    count = page_obj.paginator.count

    facets = [
        (_("Musée"), _facet(museums, "musee", f["musee"], form)),
        (_("Domaine"), _facet(domains, "domaine", f["domaine"], form)),
        (_("Siècle"), _facet(centuries, "siecle", f["siecle"], form)),
    ]
    labels = {
        "musee": next((m["label"] for m in museums if m["value"] == f["musee"]), f["musee"]),
        "domaine": next((d["label"] for d in domains if d["value"] == f["domaine"]), f["domaine"]),
        "siecle": presenters.century_label(f["siecle"]) if f["siecle"] is not None else "",
        "auteur": person.label if person else f["auteur"],
    }
    chips = [
        (
            {
                "musee": _("Musée : %(v)s"),
                "domaine": _("Domaine : %(v)s"),
                "siecle": _("Siècle : %(v)s"),
                "auteur": _("Auteur : %(v)s"),
            }[name]
            % {"v": labels[name]},
            form.url(**{name: None, "page": None}),
        )
        for name in ("musee", "domaine", "siecle", "auteur")
        if f[name] not in (None, "")
    ]
    return render(
        request,
        "catalogue/collections.html",
        {
            "works": page_obj.object_list,
            "page_obj": page_obj,
            "pagination": _pagination(form, page_obj),
            "result_count": count,
            "result_label": ngettext("%(count)d œuvre", "%(count)d œuvres", count)
            % {"count": count},
            "facets": facets,
            "chips": chips,
            "notices": notices,
            "reset_url": request.path,
            "person": person,
            "crumbs": [
                {"title": _("Accueil"), "url": presenters.home_url()},
                {"title": _("Collections"), "url": request.path},
            ],
        },
    )


def _pagination(form, page_obj) -> dict | None:
    """Links of the pagination nav (keeping the filters); None for a single page."""
    paginator: Paginator = page_obj.paginator
    if paginator.num_pages <= 1:
        return None
    links = []
    for number in paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1):
        if number == paginator.ELLIPSIS:
            links.append({"number": None})
        else:
            links.append(
                {
                    "number": number,
                    "url": form.url(page=number if number > 1 else None),
                    "current": number == page_obj.number,
                }
            )
    return {
        "links": links,
        "previous": form.url(page=page_obj.number - 1 if page_obj.number > 2 else None)
        if page_obj.has_previous()
        else "",
        "next": form.url(page=page_obj.number + 1) if page_obj.has_next() else "",
    }


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

    related = []
    shown: list[int] = []
    for by, title, link, link_label in _related_strips(work):
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
    return render(
        request,
        "catalogue/work.html",
        {
            "work": work,
            "museum": work.museum,
            "museum_url": work.museum.get_url(request),
            "subtitle": presenters.work_subtitle(work),
            "groups": presenters.work_groups(work),
            "authors": list(work.work_authors.all()),
            "domains": list(work.domains.all()),
            "first_image": first,
            "still": presenters.still_image(first) if first else None,
            "iiif_info_url": presenters.iiif_info_url(first.image_id) if first else "",
            "other_images": [
                {"image": image, "still": presenters.still_image(image, max_width=800)}
                for image in images[1:]
            ],
            "manifest_url": presenters.iiif_manifest_url(work),
            "heading": presenters.work_heading(work, presenters.first_denomination(work)),
            "monogram": presenters.monogram(work, presenters.first_denomination(work)),
            "related": related,
            "crumbs": trail,
            "jsonld": [
                presenters.work_jsonld(work, request),
                presenters.breadcrumb_jsonld(trail, request),
            ],
            "collections_url": presenters.collections_url(musee=work.museum.slug),
        },
    )


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
        if work.year_start is not None:
            century = century_of(work.year_start)
            more_url = presenters.collections_url(siecle=century)
            more_label = _("Tout le %(century)s") % {"century": presenters.century_label(century)}
        strips.append(("period", title, more_url, more_label))
    return strips
