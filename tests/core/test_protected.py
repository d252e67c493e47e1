"""A deletion refused by the database reads as a message, never a server error."""

import pytest
from django.contrib.messages import get_messages
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.urls import reverse
from wagtail.images import get_image_model

from musees.core.protected import ProtectedDeletionMiddleware
from tests.catalogue.factories import WorkFactory, WorkImageFactory
from tests.museums.factories import MuseumPageFactory

pytestmark = pytest.mark.django_db


def test_deleting_an_image_a_work_shows_answers_409_and_keeps_it(
    client, museum_index, django_user_model
):
    admin = django_user_model.objects.create_superuser(
        "admin@example.org", "admin@example.org", "x"
    )
    work = WorkFactory(museum=MuseumPageFactory(parent=museum_index), title="Amphore protégée")
    image = WorkImageFactory(work=work).image
    client.force_login(admin)
    response = client.post(
        reverse("wagtailimages:delete_multiple", args=[image.pk]),
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 409
    message = response.json()["error_message"]
    assert "Suppression impossible" in message and "Amphore protégée" in message
    assert get_image_model().objects.filter(pk=image.pk).exists()


def test_a_page_form_gets_a_message_and_goes_back(rf: RequestFactory, settings):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.signed_cookies import SessionStore

    request = rf.post("/admin/images/12/delete/", HTTP_REFERER="http://testserver/admin/images/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    middleware = ProtectedDeletionMiddleware(lambda r: None)
    response = middleware.process_exception(request, ProtectedError("used", {"Gilet brodé"}))
    assert response.status_code == 302 and response["Location"] == "http://testserver/admin/images/"
    assert ["Gilet brodé" in str(m) for m in get_messages(request)] == [True]
    # A referer from elsewhere is not followed.
    request.META["HTTP_REFERER"] = "https://evil.example/"
    assert (
        middleware.process_exception(request, ProtectedError("used", set()))["Location"]
        == "/admin/"
    )
