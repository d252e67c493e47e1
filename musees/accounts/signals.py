"""The network's groups follow roles.py after every migration and every new museums directory."""

from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from musees.museums.models import MuseumIndexPage

from .services import ensure_after_migrate, network_groups_ensure

post_migrate.connect(ensure_after_migrate, dispatch_uid="accounts-network-groups")


@receiver(post_save, sender=MuseumIndexPage, dispatch_uid="accounts-museum-index")
def museum_index_created(sender, instance, created: bool, raw: bool = False, **kwargs):
    """Moderators review every museum: give them the new directory's subtree."""
    if created and not raw:
        network_groups_ensure()
