"""Reactions to museum changes: tenancy on creation, public page cache on every save."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from musees.core.cache import public_cache_clear

from .models import Domain, MuseumPage
from .services import museum_tenancy_ensure


@receiver(post_save, sender=MuseumPage)
def create_museum_tenancy(sender, instance: MuseumPage, created: bool, raw: bool = False, **kwargs):
    """Create the museum's rédacteurs/responsables groups and Collection on first save."""
    if raw:
        return
    if created or not (
        instance.collection_id and instance.editors_group_id and instance.managers_group_id
    ):
        museum_tenancy_ensure(museum=instance)


@receiver(post_save, sender=MuseumPage, dispatch_uid="public-cache-museum")
@receiver(post_save, sender=Domain, dispatch_uid="public-cache-domain")
def clear_public_cache(sender, raw: bool = False, **kwargs):
    """A museum or domain shows on many public pages: retire them all from the cache."""
    if not raw:
        public_cache_clear()
