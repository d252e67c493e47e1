"""The back office opens a museum's edit form, with its hours, and saves what staff type."""

import pytest
from django.contrib.auth import get_user_model

from musees.museums.models import MuseumPage
from tests.museums.factories import MuseumPageFactory, OpeningHoursFactory


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "motdepasse")
    client.force_login(user)
    return client


def test_museum_edit_form_shows_every_tab(admin_client, museum_index):
    museum = MuseumPageFactory(parent=museum_index, title="Musée Ingres Bourdelle")
    OpeningHoursFactory(page=museum)
    response = admin_client.get(f"/admin/pages/{museum.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    for tab in ["Le musée", "Adresse et contacts", "Visiter", "Collections et histoire"]:
        assert tab in html
    assert 'name="closed_holidays"' in html
    assert 'name="opening_hours-0-weekdays"' in html


def test_new_museum_form_opens_under_the_directory(admin_client, museum_index):
    response = admin_client.get(f"/admin/pages/add/museums/museumpage/{museum_index.pk}/")
    assert response.status_code == 200


def test_staff_edit_is_saved_with_weekdays_and_holidays(admin_client, museum_index):
    museum = MuseumPageFactory(parent=museum_index, title="Musée Ingres Bourdelle")
    form = admin_client.get(f"/admin/pages/{museum.pk}/edit/").context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value in (None, False, "", []):
            continue
        data[name] = value
    for formset_name in form.formsets:
        data[f"{formset_name}-TOTAL_FORMS"] = "0"
        data[f"{formset_name}-INITIAL_FORMS"] = "0"
        data[f"{formset_name}-MIN_NUM_FORMS"] = "0"
        data[f"{formset_name}-MAX_NUM_FORMS"] = "1000"
    data.update(
        {
            "title": "Musée Ingres Bourdelle",
            "slug": museum.slug,
            "phone": "05 63 22 12 91",
            "closed_holidays": ["jour_an", "noel"],
            "opening_hours-TOTAL_FORMS": "1",
            "opening_hours-0-weekdays": ["1", "2", "3", "4", "5"],
            "opening_hours-0-opens": "10:00",
            "opening_hours-0-closes": "18:00",
            "opening_hours-0-ORDER": "1",
            "domains": [],
            "action-publish": "publish",
        }
    )
    data = {k: v for k, v in data.items() if not hasattr(v, "pk")}
    response = admin_client.post(f"/admin/pages/{museum.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    museum = MuseumPage.objects.get(pk=museum.pk)
    assert museum.phone == "05 63 22 12 91"
    assert museum.closed_holidays == ["jour_an", "noel"]
    hours = museum.opening_hours.get()
    assert hours.weekdays == ["1", "2", "3", "4", "5"]
