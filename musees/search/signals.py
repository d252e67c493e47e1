"""Every change the public can see in search results is logged in the same transaction."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from musees.catalogue.models import (
    Denomination,
    Domain,
    Period,
    Person,
    Place,
    Technique,
    Work,
    WorkAuthor,
    WorkImage,
    WorkPlace,
)
from musees.museums.models import MuseumPage

from .changes import museum_works_changed, works_changed


@receiver(post_save, sender=Work, dispatch_uid="search-work-saved")
@receiver(post_delete, sender=Work, dispatch_uid="search-work-deleted")
def work_changed(sender, instance, raw: bool = False, **kwargs):
    if not raw:
        works_changed([instance.pk])


@receiver(post_save, sender=WorkAuthor, dispatch_uid="search-author-saved")
@receiver(post_delete, sender=WorkAuthor, dispatch_uid="search-author-deleted")
@receiver(post_save, sender=WorkPlace, dispatch_uid="search-place-saved")
@receiver(post_delete, sender=WorkPlace, dispatch_uid="search-place-deleted")
@receiver(post_save, sender=WorkImage, dispatch_uid="search-image-saved")
@receiver(post_delete, sender=WorkImage, dispatch_uid="search-image-deleted")
def work_relation_changed(sender, instance, raw: bool = False, **kwargs):
    if not raw:
        works_changed([instance.work_id])


def _vocabulary_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        works_changed([instance.pk])
    elif action == "pre_clear":
        works_changed(instance.works.values_list("pk", flat=True))
    elif pk_set:
        works_changed(pk_set)


for _field in ("domains", "denominations", "periods", "techniques"):
    m2m_changed.connect(
        _vocabulary_m2m_changed,
        sender=getattr(Work, _field).through,
        dispatch_uid=f"search-work-{_field}-changed",
    )


@receiver(post_save, sender=Domain, dispatch_uid="search-domain-saved")
@receiver(post_save, sender=Denomination, dispatch_uid="search-denomination-saved")
@receiver(post_save, sender=Period, dispatch_uid="search-period-saved")
@receiver(post_save, sender=Technique, dispatch_uid="search-technique-saved")
def vocabulary_saved(sender, instance, created: bool, raw: bool = False, **kwargs):
    """A label renamed changes what finds the works that carry it."""
    if not raw and not created:
        works_changed(instance.works.values_list("pk", flat=True))


@receiver(post_save, sender=Person, dispatch_uid="search-person-saved")
def person_saved(sender, instance, created: bool, raw: bool = False, **kwargs):
    if not raw and not created:
        works_changed(instance.work_authors.values_list("work_id", flat=True))


@receiver(post_save, sender=Place, dispatch_uid="search-place-label-saved")
def place_saved(sender, instance, created: bool, raw: bool = False, **kwargs):
    if not raw and not created:
        works_changed(instance.work_places.values_list("work_id", flat=True))


@receiver(page_published, sender=MuseumPage, dispatch_uid="search-museum-published")
@receiver(page_unpublished, sender=MuseumPage, dispatch_uid="search-museum-unpublished")
def museum_visibility_changed(sender, instance, **kwargs):
    museum_works_changed(instance.pk)


@receiver(post_delete, sender=MuseumPage, dispatch_uid="search-museum-deleted")
def museum_deleted(sender, instance, **kwargs):
    museum_works_changed(instance.pk)
