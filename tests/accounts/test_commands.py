"""add_staff gives roles from the command line; create_demo_accounts makes the demo accounts."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from musees.accounts.models import Invitation
from musees.accounts.roles import NETWORK_GROUP_NAMES


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_staff_creates_the_account_with_its_role_and_invites(
    museum_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        out = run("add_staff", "Nina@Musee-A.fr", "--museum", "M0607", "--role", "responsable")
    assert "Compte créé pour nina@musee-a.fr" in out
    assert "Invitation envoyée" in out
    user = get_user_model().objects.get(email="nina@musee-a.fr")
    assert not user.has_usable_password()
    museum_a.refresh_from_db()
    assert museum_a.managers_group in user.groups.all()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@musee-a.fr"]


def test_add_staff_is_idempotent(museum_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run("add_staff", "nina@musee-a.fr", "--museum", "M0607", "--role", "redacteur")
        out = run("add_staff", "nina@musee-a.fr", "--museum", "M0607", "--role", "redacteur")
    assert "déjà rédacteur" in out
    assert "aucune nouvelle invitation" in out
    assert get_user_model().objects.filter(email="nina@musee-a.fr").count() == 1
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_add_staff_without_email_sends_nothing(museum_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run("add_staff", "chef@reseau.fr", "--network-role", "administrateur", "--no-email")
    user = get_user_model().objects.get(email="chef@reseau.fr")
    assert user.groups.filter(name=NETWORK_GROUP_NAMES["administrateur"]).exists()
    assert not user.is_superuser
    assert mail.outbox == [] and not Invitation.objects.exists()


def test_add_staff_changes_the_role_of_an_existing_account(museum_a, editor_a):
    run("add_staff", "paul@musee-a.fr", "--museum", "M0607", "--role", "responsable", "--no-email")
    museum_a.refresh_from_db()
    groups = set(editor_a.groups.all())
    assert museum_a.managers_group in groups and museum_a.editors_group not in groups


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--museum", "M9999", "--role", "redacteur"],
            "Aucun musée n'a l'identifiant Muséofile « M9999 »",
        ),
        (["--museum", "M0607", "--role", "directeur"], "Rôle inconnu : « directeur »"),
        (["--network-role", "president"], "Rôle inconnu : « president »"),
        (["--museum", "M0607"], "Indiquez soit --museum"),
        (
            ["--museum", "M0607", "--role", "redacteur", "--network-role", "moderateur"],
            "Indiquez soit",
        ),
    ],
)
def test_add_staff_explains_its_errors_in_french(museum_a, args, message):
    with pytest.raises(CommandError, match=message):
        run("add_staff", "x@musee-a.fr", *args)
    assert not get_user_model().objects.filter(email="x@musee-a.fr").exists()


def test_add_staff_refuses_a_bad_email(museum_a):
    with pytest.raises(CommandError, match="Adresse e-mail invalide"):
        run("add_staff", "pas-une-adresse", "--museum", "M0607", "--role", "redacteur")


def test_demo_accounts_are_refused_outside_development(museum_a, museum_b, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="qu'en développement"):
        run("create_demo_accounts")
    assert not get_user_model().objects.filter(email__endswith="@demo.test").exists()


def test_demo_accounts_one_per_role_printed_and_idempotent(client, museum_a, museum_b, settings):
    settings.DEBUG = True
    out = run("create_demo_accounts")
    again = run("create_demo_accounts")
    assert out == again
    for email in [
        "redacteur@demo.test",
        "responsable@demo.test",
        "moderateur@demo.test",
        "administrateur@demo.test",
    ]:
        assert email in out
        assert get_user_model().objects.filter(email=email).count() == 1
    assert "demo-musees-2026" in out
    assert "Musée Ingres Bourdelle" in out and "Musée Toulouse-Lautrec" in out
    response = client.post(
        "/compte/login/", {"login": "responsable@demo.test", "password": "demo-musees-2026"}
    )
    assert response.status_code == 302
    assert client.get("/admin/equipe/").status_code == 200  # two museums: the list
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_demo_accounts_go_to_the_museums_that_have_works(
    museum_index, museum_a, museum_b, settings
):
    from tests.catalogue.factories import WorkFactory
    from tests.museums.factories import MuseumPageFactory

    settings.DEBUG = True
    nimes = MuseumPageFactory(parent=museum_index, title="Musée du vieux Nîmes")
    toulouse = MuseumPageFactory(parent=museum_index, title="Musée du Vieux-Toulouse")
    for n in range(3):
        WorkFactory(museum=nimes, inventory_number=f"N {n}")
    WorkFactory(museum=toulouse, inventory_number="T 1")
    out = run("create_demo_accounts")
    assert "rédacteur · Musée du vieux Nîmes" in out
    assert "Musée Ingres Bourdelle" not in out  # no works there: nothing to try
