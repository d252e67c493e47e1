"""Administrators manage users in Wagtail, but cannot reach or create a superuser."""

from django.contrib.auth import get_user_model


def test_administrator_manages_ordinary_users(client, administrator, editor_a):
    client.force_login(administrator)
    assert client.get("/admin/users/").status_code == 200
    assert client.get(f"/admin/users/edit/{editor_a.pk}/").status_code == 200


def test_administrator_cannot_edit_or_delete_a_superuser(client, administrator):
    boss = get_user_model().objects.create_superuser("boss", "boss@reseau.fr", "x" * 20)
    client.force_login(administrator)
    for path in [f"/admin/users/edit/{boss.pk}/", f"/admin/users/delete/{boss.pk}/"]:
        assert client.get(path).status_code in (302, 403), path
        response = client.post(path, {"email": "pirate@example.org", "password1": "a" * 20})
        assert response.status_code in (302, 403)
    boss.refresh_from_db()
    assert boss.email == "boss@reseau.fr"


def test_administrator_cannot_make_a_superuser(client, administrator, editor_a):
    client.force_login(administrator)
    client.post(
        f"/admin/users/edit/{editor_a.pk}/",
        {
            "username": editor_a.username,
            "email": editor_a.email,
            "first_name": "Paul",
            "last_name": "X",
            "is_active": "on",
            "is_superuser": "on",
        },
    )
    editor_a.refresh_from_db()
    assert not editor_a.is_superuser


def test_administrator_is_no_superuser_and_reaches_settings(client, administrator, museum_index):
    assert not administrator.is_superuser
    client.force_login(administrator)
    assert client.get("/admin/settings/core/networksettings/").status_code in (200, 302)
    assert client.get("/admin/redirects/").status_code == 200
