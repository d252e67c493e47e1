"""Create one demo account per role on the real demo museums (development only; idempotent).

Prints the e-mails and passwords at the end, so that `make run` shows them.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from musees.accounts.roles import role_label
from musees.accounts.services import email_address_verified, role_grant, staff_user_ensure
from musees.museums.models import MuseumPage

# Without works in the database, two real museums of the demo data (Muséofile ids), the first
# pair found is used.
DEMO_MUSEUMS = [("M0607", "M0592"), ("M0476", "M0562")]
DEMO_PASSWORD = "demo-musees-2026"
ERROR_NOT_DEBUG = (
    "Les comptes de démonstration ont des mots de passe connus : ils ne se créent qu'en "
    "développement (DJANGO_DEBUG=1)."
)
ERROR_NO_MUSEUMS = (
    "Il faut au moins deux musées pour les comptes de démonstration : chargez d'abord les "
    "données de démonstration (make demo-data)."
)


def demo_museums() -> list[MuseumPage]:
    """Two real museums of the demo data: the two holding the most works, so that the demo
    accounts have works to edit (Vieux Nîmes and Vieux-Toulouse with the demo Joconde records),
    else Ingres Bourdelle and Toulouse-Lautrec when present."""
    with_works = list(
        MuseumPage.objects.annotate(work_count=Count("works"))
        .filter(work_count__gt=0)
        .order_by("-work_count", "title")[:2]
    )
    if len(with_works) == 2:
        return with_works
    for ids in DEMO_MUSEUMS:
        found = {m.museofile_id: m for m in MuseumPage.objects.filter(museofile_id__in=ids)}
        if len(found) == len(ids):
            return [found[museofile_id] for museofile_id in ids]
    museums = list(MuseumPage.objects.order_by("title")[:2])
    if len(museums) < 2:
        raise CommandError(ERROR_NO_MUSEUMS)
    return museums


class Command(BaseCommand):
    help = "Crée un compte de démonstration par rôle (développement seulement)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(ERROR_NOT_DEBUG)
        first, second = demo_museums()
        accounts = [
            ("redacteur@demo.test", "Rédactrice", "Démo", [("redacteur", first)]),
            (
                "responsable@demo.test",
                "Responsable",
                "Démo",
                [("responsable", first), ("responsable", second)],
            ),
            ("moderateur@demo.test", "Modérateur", "Démo", [("moderateur", None)]),
            ("administrateur@demo.test", "Administratrice", "Démo", [("administrateur", None)]),
        ]
        rows = []
        with transaction.atomic():
            for email, first_name, last_name, roles in accounts:
                user, _created = staff_user_ensure(
                    email=email, first_name=first_name, last_name=last_name
                )
                if not user.check_password(DEMO_PASSWORD):
                    user.set_password(DEMO_PASSWORD)
                    user.save()
                email_address_verified(user=user)
                for key, museum in roles:
                    role_grant(user=user, role=key, museum=museum)
                where = ", ".join(
                    f"{role_label(key)} · {museum.title}" if museum else role_label(key)
                    for key, museum in roles
                )
                rows.append((email, where))
        width = max(len(email) for email, _where in rows)
        self.stdout.write(_("Comptes de démonstration (connexion : /compte/login/) :"))
        for email, where in rows:
            self.stdout.write(f"  {email.ljust(width)}  {DEMO_PASSWORD}  {where}")
