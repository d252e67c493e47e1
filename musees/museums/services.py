"""Writes on museums that touch several models."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from musees.accounts.roles import REDACTEUR, RESPONSABLE, ROLES

from .models import MuseumPage

# What each museum role may do, on its museum's page subtree and Collection: the roles' table
# (musees/accounts/roles.py, docs/roles.md) is the only place that says it.
MUSEUM_GROUPS = [("editors_group", REDACTEUR), ("managers_group", RESPONSABLE)]


def _group_name(museum: MuseumPage, role: str) -> str:
    # Group names are unique: the Muséofile id (or page id) keeps homonymous museums apart.
    key = museum.museofile_id or f"page-{museum.pk}"
    return f"{key} · {museum.title}"[:120] + f" — {role}"


def _permissions() -> dict[tuple[str, str], Permission]:
    """The permissions the museum groups use, fetched in one query."""
    wanted = set()
    for _field, key in MUSEUM_GROUPS:
        role = ROLES[key]
        wanted |= {tuple(name.split(".")) for name in role.permissions}
        wanted |= {tuple(name.split(".")) for name in role.collection_permissions}
        wanted |= {("wagtailcore", codename) for codename in role.page_permissions}
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _c in wanted},
        codename__in={c for _app, c in wanted},
    ).select_related("content_type")
    return {(p.content_type.app_label, p.codename): p for p in found}


@transaction.atomic
def museum_tenancy_ensure(*, museum: MuseumPage) -> MuseumPage:
    """Give a museum its image/document Collection and its two staff groups (idempotent).

    Rédacteurs edit the museum's pages and submit them; responsables also publish. Both may use
    the admin and the museum's collection, and nothing else.
    """
    perms = _permissions()
    if museum.collection_id is None:
        root = Collection.get_first_root_node()
        museum.collection = root.add_child(
            name=f"{museum.museofile_id or museum.pk} · {museum.title}"[:255]
        )
    groups = {}
    for field, key in MUSEUM_GROUPS:
        role = ROLES[key]
        group = getattr(museum, field)
        if group is None:
            label = _("rédacteurs") if key == REDACTEUR else _("responsables")
            group, _created = Group.objects.get_or_create(name=_group_name(museum, label))
            setattr(museum, field, group)
        group.permissions.add(*(perms[tuple(name.split("."))] for name in role.permissions))
        for codename in role.page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=museum, permission=perms[("wagtailcore", codename)]
            )
        for name in role.collection_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=museum.collection, permission=perms[tuple(name.split("."))]
            )
        groups[field] = group
    MuseumPage.objects.filter(pk=museum.pk).update(
        collection=museum.collection,
        editors_group=groups["editors_group"],
        managers_group=groups["managers_group"],
    )
    return museum


# Muséofile import -------------------------------------------------------------------------------
# Fields whose Muséofile value is an ISO date text (kept as text in `imported_values`).
_MUSEOFILE_DATE_FIELDS = ("label_date", "museofile_updated_on")


def museums_import(*, records, dry_run: bool = False, rejected=(), warnings=()):
    """Create or update museum pages from Muséofile records, never overwriting a museum's edits.

    Keyed by Muséofile id, so a second run changes nothing. Each museum is written in its own
    transaction and published; `rejected`/`warnings` from the parser are carried into the report.
    With `dry_run`, everything is computed in a transaction that is rolled back.
    """
    from contextlib import nullcontext

    from django.core.exceptions import ValidationError
    from django.db import DatabaseError

    from .importers.report import ERROR_NO_INDEX, ERROR_SAVE, ImportReport, MuseumImportError
    from .models import Domain, MuseumIndexPage

    report = ImportReport(
        dry_run=dry_run,
        rejected=[(error.line, error.reason) for error in rejected],
        warnings=[str(warning) for warning in warnings],
    )
    index = MuseumIndexPage.objects.live().first()
    if index is None:
        raise MuseumImportError(str(ERROR_NO_INDEX))
    records = list(records)
    with transaction.atomic() if dry_run else nullcontext():
        pages = {
            page.museofile_id: page
            for page in MuseumPage.objects.filter(
                museofile_id__in=[record.museofile_id for record in records]
            ).prefetch_related("domains")
        }
        context = {
            "index": index,
            "domains": {domain.slug: domain for domain in Domain.objects.all()},
            "slugs": set(index.get_children().values_list("slug", flat=True)),
        }
        for record in records:
            domains = _museofile_domains(record, context["domains"])
            try:
                with transaction.atomic():
                    outcome = _museofile_write(
                        record=record,
                        page=pages.get(record.museofile_id),
                        domains=domains,
                        context=context,
                        report=report,
                    )
            except (ValidationError, DatabaseError) as exc:
                message = "; ".join(getattr(exc, "messages", None) or [str(exc)])
                report.rejected.append((record.line, str(ERROR_SAVE % {"error": message})))
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
        if dry_run:
            transaction.set_rollback(True)
    report.rejected.sort(key=lambda row: row[0])
    return report


def _museofile_domains(record, cache) -> list | None:
    """The Domain rows of a record's domain labels, created on the fly (None: no domains)."""
    from django.utils.text import slugify

    from .models import Domain

    if record.domains is None:
        return None
    domains = []
    for label in record.domains:
        slug = slugify(label)[:100]
        if not slug:
            continue
        if slug not in cache:
            cache[slug], _created = Domain.objects.get_or_create(
                slug=slug, defaults={"label": label}
            )
        if cache[slug] not in domains:
            domains.append(cache[slug])
    return domains


def _museofile_json(value):
    """A field value as `imported_values` stores it (dates as ISO text)."""
    import datetime

    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _museofile_model_value(name: str, value):
    import datetime

    if name in _MUSEOFILE_DATE_FIELDS and value is not None:
        return datetime.date.fromisoformat(value)
    return value


def _museofile_new_slug(record, slugs: set[str]) -> str:
    from django.utils.text import slugify

    title = record.fields.get("title", "")
    candidates = [
        slugify(title)[:200],
        slugify(f"{title} {record.fields.get('commune', '')}")[:200],
        slugify(f"{title} {record.museofile_id}")[:200],
    ]
    for slug in candidates:
        if slug and slug not in slugs:
            break
    else:
        slug = slugify(record.museofile_id)
    slugs.add(slug)
    return slug


def _museofile_create_published(*, page: MuseumPage, parent) -> MuseumPage:
    """Add a new page under its parent already published, with its first revision.

    What `save_revision().publish()` does for a first publication, in one page save instead of
    three (this is what keeps an import of a whole region to a few seconds).
    """
    from django.utils import timezone
    from wagtail.log_actions import log
    from wagtail.models import Revision
    from wagtail.signals import page_published

    now = timezone.now()
    page.live = True
    page.has_unpublished_changes = False
    page.first_published_at = page.last_published_at = now
    page.draft_title = page.title
    parent.add_child(instance=page)
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        content=page.serializable_data(),
        object_str=str(page),
    )
    page.latest_revision = page.live_revision = revision
    page.latest_revision_created_at = revision.created_at
    MuseumPage.objects.filter(pk=page.pk).update(
        latest_revision=revision,
        live_revision=revision,
        latest_revision_created_at=revision.created_at,
    )
    log(instance=page, action="wagtail.publish", revision=revision, content_changed=True)
    page_published.send(sender=MuseumPage, instance=page, revision=revision)
    return page


def _museofile_write(*, record, page, domains, context, report) -> str:
    """Write one record; return "created", "updated" or "unchanged"."""
    from .importers.report import KeptEdits

    new_values = dict(record.fields)
    if domains is not None:
        new_values["domains"] = sorted(domain.slug for domain in domains)

    if page is None:
        page = MuseumPage(
            museofile_id=record.museofile_id,
            slug=_museofile_new_slug(record, context["slugs"]),
            imported_values=new_values,
        )
        for name, value in record.fields.items():
            setattr(page, name, _museofile_model_value(name, value))
        if domains is not None:
            page.domains.set(domains)
        _museofile_create_published(page=page, parent=context["index"])
        return "created"

    draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else None
    reference = draft or page
    imported = dict(page.imported_values or {})
    changed, kept = [], []
    for name, new in new_values.items():
        if name == "domains":
            current = sorted(domain.slug for domain in reference.domains.all())
        else:
            current = _museofile_json(getattr(reference, name))
        if current not in ("", None, []) and (name in record.fill_only or new in ("", None, [])):
            # A fill-only value never replaces one, and a file that says nothing about a field
            # never erases what another file (or the museum) gave.
            continue
        if name in imported:
            edited = current != imported[name]
        else:  # never imported: a value already there was entered by the museum
            edited = current not in ("", None, []) and current != new
        if edited and current != new:
            kept.append(name)
            continue
        if current != new:
            changed.append(name)
        imported[name] = new
    bookkeeping_only = not changed and imported != (page.imported_values or {})
    if kept:
        report.kept_local_edits.append(
            KeptEdits(museofile_id=record.museofile_id, title=reference.title, fields=kept)
        )
    if not changed and not bookkeeping_only:
        return "unchanged"

    targets = [page] if draft is None else [page, draft]
    for target in targets:
        for name in changed:
            if name == "domains":
                target.domains.set(domains)
            else:
                setattr(target, name, _museofile_model_value(name, new_values[name]))
                if name == "title":
                    target.draft_title = target.title
        target.imported_values = imported
    if page.live:
        page.save_revision().publish()
    else:
        page.save()
        page.save_revision()
    if draft is not None:
        # The museum's unpublished draft stays the latest revision, with the import's changes.
        draft.save_revision()
    return "updated" if changed else "unchanged"
