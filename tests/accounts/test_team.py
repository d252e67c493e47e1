"""The "Équipe" screens: each responsable sees and acts on their own museums' people only."""

from django.core import mail

from musees.accounts.models import Invitation
from musees.accounts.services import invitation_create, role_grant


def groups_of(user):
    return set(user.groups.values_list("name", flat=True))


def test_menu_shows_equipe_to_responsables_only(client, manager_a, editor_a):
    client.force_login(manager_a)
    assert "/admin/equipe/" in client.get("/admin/").content.decode()
    client.force_login(editor_a)
    assert "/admin/equipe/" not in client.get("/admin/").content.decode()
    assert client.get("/admin/equipe/").status_code == 404


def test_responsable_of_one_museum_goes_straight_to_its_team(client, manager_a, editor_a, museum_a):
    client.force_login(manager_a)
    response = client.get("/admin/equipe/")
    assert response.url == f"/admin/equipe/musee/{museum_a.pk}/"
    html = client.get(response.url).content.decode()
    assert "Équipe de Musée Ingres Bourdelle" in html
    assert "paul@musee-a.fr" in html and "claire@musee-a.fr" in html


def test_team_page_lists_pending_invitations(client, manager_a, museum_a, museum_b):
    invitation_create(email="attente@musee-a.fr", role="responsable", museum=museum_a)
    invitation_create(email="secret@musee-b.fr", role="redacteur", museum=museum_b)
    client.force_login(manager_a)
    html = client.get(f"/admin/equipe/musee/{museum_a.pk}/").content.decode()
    assert "attente@musee-a.fr" in html
    assert "secret@musee-b.fr" not in html


def test_responsable_of_a_cannot_see_or_act_on_b(
    client, manager_a, museum_a, museum_b, editor_b, manager_b
):
    pending, _token = invitation_create(email="b@musee-b.fr", role="redacteur", museum=museum_b)
    before = {user.pk: groups_of(user) for user in (editor_b, manager_b)}
    client.force_login(manager_a)
    probes = [
        ("get", f"/admin/equipe/musee/{museum_b.pk}/", {}),
        ("get", f"/admin/equipe/musee/{museum_b.pk}/inviter/", {}),
        (
            "post",
            f"/admin/equipe/musee/{museum_b.pk}/inviter/",
            {"email": "x@y.fr", "role": "responsable"},
        ),
        ("get", f"/admin/equipe/musee/{museum_b.pk}/retirer/{editor_b.pk}/", {}),
        ("post", f"/admin/equipe/musee/{museum_b.pk}/retirer/{editor_b.pk}/", {}),
        ("post", f"/admin/equipe/musee/{museum_b.pk}/retirer/{manager_b.pk}/", {}),
        # B's person through A's museum address: not one of A's people.
        ("post", f"/admin/equipe/musee/{museum_a.pk}/retirer/{editor_b.pk}/", {}),
        ("post", f"/admin/equipe/invitations/{pending.pk}/annuler/", {}),
        ("get", "/admin/equipe/reseau/", {}),
        ("post", "/admin/equipe/reseau/inviter/", {"email": "x@y.fr", "role": "administrateur"}),
    ]
    for method, path, data in probes:
        response = getattr(client, method)(path, data)
        assert response.status_code in (403, 404), (method, path, response.status_code)
    html = client.get("/admin/equipe/?q=Lautrec").content.decode()
    assert "Toulouse-Lautrec" not in html
    assert {user.pk: groups_of(user) for user in (editor_b, manager_b)} == before
    pending.refresh_from_db()
    assert pending.cancelled_at is None
    assert Invitation.objects.count() == 1
    assert mail.outbox == []


def test_responsable_invites_only_museum_roles(client, manager_a, museum_a):
    client.force_login(manager_a)
    response = client.post(
        f"/admin/equipe/musee/{museum_a.pk}/inviter/",
        {"email": "x@musee-a.fr", "role": "administrateur"},
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Invitation.objects.exists()


def test_responsable_removes_a_colleague(client, manager_a, editor_a, museum_a):
    client.force_login(manager_a)
    page = client.get(f"/admin/equipe/musee/{museum_a.pk}/retirer/{editor_a.pk}/")
    assert "Paul n'aura plus le rôle rédacteur" in page.content.decode()
    response = client.post(f"/admin/equipe/musee/{museum_a.pk}/retirer/{editor_a.pk}/")
    assert response.status_code == 302
    museum_a.refresh_from_db()
    assert museum_a.editors_group not in editor_a.groups.all()


def test_last_responsable_cannot_remove_their_own_role(client, manager_a, museum_a):
    client.force_login(manager_a)
    response = client.post(
        f"/admin/equipe/musee/{museum_a.pk}/retirer/{manager_a.pk}/", follow=True
    )
    assert "seul responsable de ce musée" in response.content.decode()
    museum_a.refresh_from_db()
    assert museum_a.managers_group in manager_a.groups.all()


def test_a_responsable_may_leave_when_another_remains(client, manager_a, museum_a, editor_a):
    role_grant(user=editor_a, role="responsable", museum=museum_a)
    client.force_login(manager_a)
    client.post(f"/admin/equipe/musee/{museum_a.pk}/retirer/{manager_a.pk}/")
    museum_a.refresh_from_db()
    assert museum_a.managers_group not in manager_a.groups.all()


def test_responsable_cancels_their_museums_invitation(client, manager_a, museum_a):
    invitation, token = invitation_create(email="x@musee-a.fr", role="redacteur", museum=museum_a)
    client.force_login(manager_a)
    response = client.post(f"/admin/equipe/invitations/{invitation.pk}/annuler/")
    assert response.status_code == 302
    client.logout()
    assert client.get(f"/compte/invitation/{token}/").status_code == 410


def test_moderator_manages_every_museum_but_not_the_network(
    client, moderator, museum_a, museum_b, editor_b
):
    client.force_login(moderator)
    html = client.get("/admin/equipe/").content.decode()
    assert "Musée Ingres Bourdelle" in html and "Musée Toulouse-Lautrec" in html
    assert client.get(f"/admin/equipe/musee/{museum_b.pk}/").status_code == 200
    assert (
        client.post(f"/admin/equipe/musee/{museum_b.pk}/retirer/{editor_b.pk}/").status_code == 302
    )
    assert client.get("/admin/equipe/reseau/").status_code == 404
    response = client.post(
        f"/admin/equipe/musee/{museum_a.pk}/inviter/",
        {"email": "r@musee-a.fr", "role": "responsable"},
    )
    assert response.status_code == 302


def test_administrator_sees_the_network_team(client, administrator, moderator):
    client.force_login(administrator)
    html = client.get("/admin/equipe/reseau/").content.decode()
    assert "moderation@reseau.fr" in html and "admin@reseau.fr" in html


def test_team_index_query_count_does_not_grow_with_museums(
    client, moderator, museum_index, django_assert_max_num_queries
):
    from tests.museums.factories import MuseumPageFactory

    MuseumPageFactory.create_batch(3, parent=museum_index)
    client.force_login(moderator)
    client.get("/admin/equipe/")
    with django_assert_max_num_queries(30) as few:
        client.get("/admin/equipe/")
    MuseumPageFactory.create_batch(20, parent=museum_index)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/admin/equipe/")
