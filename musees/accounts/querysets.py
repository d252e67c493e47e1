"""Named reads on invitations and on the people who hold roles."""

from django.db import models
from django.utils import timezone


class InvitationQuerySet(models.QuerySet):
    """Invitations by state and by museum."""

    def pending(self):
        """Neither accepted, nor cancelled, nor expired."""
        return self.filter(
            accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now()
        )

    def for_museum(self, museum):
        """The invitations to one museum's roles."""
        return self.filter(museum=museum)

    def for_network(self):
        """The invitations to the network's roles."""
        return self.filter(museum__isnull=True)

    def base_queryset(self):
        """With the museum and the inviter, as the team screens show them."""
        return self.select_related("museum", "invited_by")
