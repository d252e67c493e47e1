"""Template tags of museum pages and museum cards (the logic lives in museums.presenters)."""

from django import template

from musees.core import jsonld

register = template.Library()


@register.simple_tag
def museum_visit(page):
    """Hours, status, prices and access of a museum, ready to show (see presenters.visit)."""
    from musees.museums import presenters

    return presenters.visit(page)


@register.simple_tag
def museum_status(page):
    """Whether a museum is open now, with its label and detail (see presenters.status)."""
    from musees.museums import presenters

    return presenters.status(page)


@register.simple_tag(takes_context=True)
def museum_jsonld(context, page, image_url=""):
    """The schema.org Museum and BreadcrumbList of a museum page, as JSON-LD scripts."""
    from musees.museums import presenters

    request = context["request"]
    if image_url:
        image_url = request.build_absolute_uri(image_url)
    museum = presenters.museum_jsonld(page, request, image_url=image_url)
    trail = [
        (ancestor.title, request.build_absolute_uri(ancestor.get_url(request)))
        for ancestor in page.get_ancestors().filter(depth__gt=1)
    ]
    trail.append((page.display_name, museum["url"]))
    return jsonld.script(museum) + jsonld.script(jsonld.breadcrumb_list(trail))


@register.filter
def tel_href(phone):
    """A tel: link target from a phone number as people write it."""
    from musees.museums import presenters

    return presenters.tel_href(phone or "")


@register.filter
def price(value):
    """A price in euros as people read it ("8 €", "5,50 €")."""
    from musees.museums import presenters

    return presenters.format_price(value)


@register.filter
def french_date(value):
    """A date in words ("1er mars 2024")."""
    from musees.museums import presenters

    if not value:
        return ""
    return f"{presenters.format_day(value, with_weekday=False)} {value.year}"


@register.filter
def split_lines(text):
    """A free-text field cut into its non-empty lines (Muséofile lists are one item a line)."""
    import re

    return [part.strip(" -•") for part in re.split(r"[\n;]+", text or "") if part.strip(" -•")]


@register.simple_tag(takes_context=True)
def museum_markers(context, *museums):
    """Map markers of museums with coordinates, in the shape js/map.js reads."""
    request = context.get("request")
    return [
        {
            "name": museum.display_name,
            "url": museum.get_url(request),
            "lat": museum.latitude,
            "lon": museum.longitude,
            "commune": museum.commune,
        }
        for museum in museums
        if museum.has_coordinates
    ]
