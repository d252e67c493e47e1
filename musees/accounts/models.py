"""Invitations: a role offered to an e-mail address, accepted through a one-time link."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import InvitationQuerySet
from .roles import ROLES, role_choices


def token_hash(token: str) -> str:
    """The SHA-256 of an invitation token: only the hash is stored, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A role (in one museum, or in the network) offered to an e-mail address."""

    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=20, choices=role_choices())
    museum = models.ForeignKey(
        "museums.MuseumPage",
        verbose_name=_("musée"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invité par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acceptée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="invitation_museum_role_has_museum",
                condition=(
                    models.Q(role__in=["redacteur", "responsable"], museum__isnull=False)
                    | models.Q(role__in=["moderateur", "administrateur"], museum__isnull=True)
                ),
            )
        ]

    def __str__(self):
        return f"{self.email} · {self.role_label}"

    @property
    def role_label(self) -> str:
        return str(ROLES[self.role].label)

    def is_expired(self, now=None) -> bool:
        """Whether the link can no longer be used because its time is over."""
        return (now or timezone.now()) >= self.expires_at

    @property
    def is_pending(self) -> bool:
        """Not yet accepted, not cancelled, not expired."""
        return self.accepted_at is None and self.cancelled_at is None and not self.is_expired()
