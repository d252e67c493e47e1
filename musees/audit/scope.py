"""Which museum a log entry concerns, and which entries a person may read."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import Page, PageLogEntry

from musees.accounts.access import network_role
from musees.museums.models import MuseumPage


def museum_of_page(page) -> MuseumPage | None:
    """The museum whose page is `page` or one of its ancestors (one query)."""
    steplen = Page.steplen
    paths = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    return MuseumPage.objects.filter(path__in=paths).order_by("-depth").first()


def museum_of_object(model, object_id: str) -> MuseumPage | None:
    """The museum a row belongs to: through its `museum` field, or its media Collection."""
    if model is None:
        return None
    fields = {field.name for field in model._meta.get_fields()}
    if "museum" in fields and model._meta.get_field("museum").related_model is MuseumPage:
        museum_id = model.objects.filter(pk=object_id).values_list("museum_id", flat=True).first()
        return MuseumPage.objects.filter(pk=museum_id).first() if museum_id else None
    if "collection" in fields and model._meta.app_label in ("wagtailimages", "wagtaildocs"):
        collection_id = (
            model.objects.filter(pk=object_id).values_list("collection_id", flat=True).first()
        )
        if collection_id:
            return MuseumPage.objects.filter(collection_id=collection_id).first()
    return None


def museums_of_groups(group_ids) -> dict[int, tuple[MuseumPage, str]]:
    """Group id -> (museum, role key) for the museums' staff groups among `group_ids`."""
    found = {}
    for museum in MuseumPage.objects.filter(
        Q(editors_group_id__in=group_ids) | Q(managers_group_id__in=group_ids)
    ).only("pk", "title", "editors_group_id", "managers_group_id"):
        if museum.editors_group_id in group_ids:
            found[museum.editors_group_id] = (museum, "redacteur")
        if museum.managers_group_id in group_ids:
            found[museum.managers_group_id] = (museum, "responsable")
    return found


def sees_whole_network(user) -> bool:
    """The association's staff (moderators, administrators) read every museum's log."""
    return bool(network_role(user))


def museums_of(user):
    """The museums whose staff the user belongs to (rédacteur or responsable)."""
    if not user.is_authenticated or not user.is_active:
        return MuseumPage.objects.none()
    if sees_whole_network(user):
        return MuseumPage.objects.all()
    groups = Group.objects.filter(user=user)
    return MuseumPage.objects.filter(
        Q(editors_group__in=groups) | Q(managers_group__in=groups)
    ).distinct()


def may_read_journal(user) -> bool:
    """Whether the user sees the "Journal" report at all."""
    return sees_whole_network(user) or museums_of(user).exists()


def entries_q(model, museums: list[MuseumPage]) -> Q:
    """Entries of `model` (PageLogEntry or ModelLogEntry) about one of `museums`.

    An entry is about a museum when its data says so (every entry written since this app exists
    does), or, for older entries, when it is about a page of the museum's subtree, one of its
    works, or one of its staff's accounts (logins carry no museum: a person may have several).
    """
    museum_ids = [museum.pk for museum in museums]
    q = Q(data__museum_id__in=museum_ids)
    if model is PageLogEntry:
        for museum in museums:
            q |= Q(page__path__startswith=museum.path)
        return q
    from musees.catalogue.models import Work

    as_text = Cast("pk", output_field=CharField())
    work_ids = Work.objects.filter(museum_id__in=museum_ids).annotate(key=as_text).values("key")
    group_ids = [
        group_id
        for museum in museums
        for group_id in (museum.editors_group_id, museum.managers_group_id)
        if group_id
    ]
    staff_ids = (
        get_user_model().objects.filter(groups__in=group_ids).annotate(key=as_text).values("key")
    )
    ct = ContentType.objects.get_for_models(Work, get_user_model())
    q |= Q(content_type=ct[Work], object_id__in=work_ids)
    q |= Q(
        content_type=ct[get_user_model()],
        object_id__in=staff_ids,
        data__museum_id__isnull=True,
    )
    return q
