"""Every museum page gets its staff groups and media collection as soon as it exists."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import MuseumPage
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
