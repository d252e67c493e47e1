"""A saved or deleted work or image shows on public pages: retire them from the page cache."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from musees.core.cache import public_cache_clear

from .models import Work, WorkImage


@receiver(post_save, sender=Work, dispatch_uid="public-cache-work-saved")
@receiver(post_delete, sender=Work, dispatch_uid="public-cache-work-deleted")
@receiver(post_save, sender=WorkImage, dispatch_uid="public-cache-work-image-saved")
@receiver(post_delete, sender=WorkImage, dispatch_uid="public-cache-work-image-deleted")
def clear_public_cache(sender, raw: bool = False, **kwargs):
    """Any change to a work reaches the public pages at once."""
    if not raw:
        public_cache_clear()
