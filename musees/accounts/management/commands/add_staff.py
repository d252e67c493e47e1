"""Give a person a role, creating their account if needed, and send them an invitation.

    manage.py add_staff EMAIL --museum M0607 --role redacteur|responsable [--no-email]
    manage.py add_staff EMAIL --network-role moderateur|administrateur [--no-email]

Idempotent: a person who already has the role and has activated their account is left alone,
and a pending invitation is not sent twice.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from musees.accounts.models import Invitation
from musees.accounts.roles import MUSEUM_ROLES, NETWORK_GROUP_NAMES, NETWORK_ROLES, role_label
from musees.accounts.services import (
    invitation_create,
    museum_groups,
    role_grant,
    staff_user_ensure,
)
from musees.museums.models import MuseumPage

ERROR_EMAIL = "Adresse e-mail invalide : « {email} »."
ERROR_UNKNOWN_MUSEUM = "Aucun musée n'a l'identifiant Muséofile « {museum} »."
ERROR_UNKNOWN_ROLE = "Rôle inconnu : « {role} ». Rôles possibles : {roles}."
ERROR_ONE_TARGET = (
    "Indiquez soit --museum IDENTIFIANT avec --role redacteur|responsable, soit "
    "--network-role moderateur|administrateur."
)


class Command(BaseCommand):
    help = "Donne un rôle à une personne (compte créé si besoin) et lui envoie une invitation."

    def add_arguments(self, parser):
        parser.add_argument("email", help="adresse e-mail de la personne")
        parser.add_argument("--museum", help="identifiant Muséofile du musée (M0607)")
        parser.add_argument("--role", help="rôle dans le musée : redacteur ou responsable")
        parser.add_argument(
            "--network-role", help="rôle dans le réseau : moderateur ou administrateur"
        )
        parser.add_argument(
            "--no-email", action="store_true", help="ne pas envoyer d'invitation par e-mail"
        )

    def handle(self, *args, email, museum, role, network_role, no_email, **options):
        email = email.strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(ERROR_EMAIL.format(email=email)) from exc
        if network_role and (museum or role) or not network_role and not (museum and role):
            raise CommandError(ERROR_ONE_TARGET)
        if network_role:
            if network_role not in NETWORK_ROLES:
                raise CommandError(
                    ERROR_UNKNOWN_ROLE.format(role=network_role, roles=", ".join(NETWORK_ROLES))
                )
            key, place = network_role, None
        else:
            if role not in MUSEUM_ROLES:
                raise CommandError(
                    ERROR_UNKNOWN_ROLE.format(role=role, roles=", ".join(MUSEUM_ROLES))
                )
            place = MuseumPage.objects.filter(museofile_id__iexact=museum.strip()).first()
            if place is None:
                raise CommandError(ERROR_UNKNOWN_MUSEUM.format(museum=museum))
            key = role

        with transaction.atomic():
            user, created = staff_user_ensure(email=email)
            had_role = self.has_role(user, key, place)
            role_grant(user=user, role=key, museum=place)
        where = f"« {place.title} »" if place else "le réseau"
        label = role_label(key)
        if created:
            self.stdout.write(f"Compte créé pour {email}.")
        self.stdout.write(
            f"{email} : déjà {label} dans {where}."
            if had_role
            else f"{email} est maintenant {label} dans {where}."
        )
        if no_email:
            return
        if had_role and user.has_usable_password():
            self.stdout.write("Compte déjà activé : aucune invitation envoyée.")
            return
        pending = (
            Invitation.objects.pending().filter(email__iexact=email, museum=place, role=key).first()
        )
        if pending is not None:
            self.stdout.write(
                f"Une invitation est déjà en attente (jusqu'au "
                f"{pending.expires_at:%d/%m/%Y}) : aucune nouvelle invitation envoyée."
            )
            return
        with transaction.atomic():
            invitation, _token = invitation_create(email=email, role=key, museum=place)
        self.stdout.write(
            self.style.SUCCESS(
                f"Invitation envoyée à {email} (valable jusqu'au {invitation.expires_at:%d/%m/%Y})."
            )
        )

    @staticmethod
    def has_role(user, key: str, museum) -> bool:
        if museum is None:
            return user.groups.filter(name=NETWORK_GROUP_NAMES[key]).exists()
        return user.groups.filter(pk=museum_groups(museum)[key].pk).exists()
