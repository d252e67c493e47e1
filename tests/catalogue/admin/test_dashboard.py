"""The admin home panel of museum staff: their own museums' drafts, changes and completeness."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from musees.catalogue.admin_dashboard import museums_completeness
from musees.catalogue.models import Work
from musees.museums.models import MuseumPage
from tests.catalogue.admin.conftest import CANARIES
from tests.catalogue.factories import WorkFactory, WorkImageFactory
from tests.museums.factories import OpeningHoursFactory

PANEL_HEADING = "Vos œuvres et votre musée"


def test_panel_shows_own_museums_drafts_and_changes_only(client, editor_a, work_a, work_b):
    WorkFactory(museum=work_a.museum, title="Buste d'Ingres", status=Work.Status.PUBLISHED)
    client.force_login(editor_a)
    html = client.get("/admin/").content.decode()
    assert PANEL_HEADING in html
    assert "1 œuvre en brouillon" in html
    assert "Portrait de Madame Gonse" in html and "Buste d&#x27;Ingres" in html
    assert f"/admin/oeuvres/edit/{work_a.pk}/" in html
    for canary in CANARIES:
        assert canary not in html
    assert "Musée Lautrec Albi" not in html


def test_panel_is_for_museum_staff(client, moderator, editor_b, work_a, work_b):
    client.force_login(moderator)
    assert PANEL_HEADING not in client.get("/admin/").content.decode()
    client.force_login(editor_b)
    html = client.get("/admin/").content.decode()
    assert PANEL_HEADING in html and "Portrait de Madame Gonse" not in html


def test_completeness_counts_images_alt_texts_credits_and_page_fields(museum_a, museum_b):
    with_image = WorkFactory(museum=museum_a)
    WorkFactory(museum=museum_a)
    WorkImageFactory(work=with_image, alt_text="Vue de face", copyright_line="© Musée")
    WorkImageFactory(work=with_image, alt_text="", photographer="", copyright_line="")
    WorkImageFactory(work=WorkFactory(museum=museum_b), alt_text="", copyright_line="")
    MuseumPage.objects.filter(pk=museum_a.pk).update(phone="05 63 22 12 91", admission_free=True)
    OpeningHoursFactory(page=museum_a)

    (item,) = museums_completeness([museum_a.pk])
    assert (item.works, item.works_with_image, item.image_share) == (2, 1, 50)
    assert (item.images, item.alt_share, item.credit_share) == (2, 50, 50)
    # The factory fills the address, postcode and commune; phone, prices and hours added here.
    assert [str(label) for label in item.page_missing] == [
        "présentation",
        "courriel",
        "site web",
        "image principale",
        "accessibilité",
    ]
    assert item.page_share == 55
    assert item.score == round((55 + 50 + 50 + 50) / 4)


def test_completeness_of_a_museum_without_works_is_its_page(museum_a):
    (item,) = museums_completeness([museum_a.pk])
    assert (item.image_share, item.alt_share, item.credit_share) == (None, None, None)
    assert item.score == item.page_share


def test_panel_queries_do_not_grow_with_the_works(client, editor_a, museum_a):
    client.force_login(editor_a)
    for work in WorkFactory.create_batch(3, museum=museum_a, status=Work.Status.DRAFT):
        WorkImageFactory(work=work)
    client.get("/admin/")
    with CaptureQueriesContext(connection) as three:
        assert client.get("/admin/").status_code == 200
    for work in WorkFactory.create_batch(27, museum=museum_a, status=Work.Status.DRAFT):
        WorkImageFactory(work=work)
    with CaptureQueriesContext(connection) as thirty:
        html = client.get("/admin/").content.decode()
    assert "30 œuvres en brouillon" in html
    assert len(thirty) == len(three)
