"""Museum pages: tenancy created with the museum, search keys, display helpers."""

from django.contrib.auth.models import Group

from tests.museums.factories import MuseumPageFactory


def test_museum_gets_its_groups_and_collection_on_creation(museum_index):
    museum = MuseumPageFactory(
        parent=museum_index, title="musée archéologique Eugène Camoreyt", museofile_id="M0572"
    )
    museum.refresh_from_db()
    assert museum.collection.name.startswith("M0572")
    assert "rédacteurs" in museum.editors_group.name
    assert "responsables" in museum.managers_group.name
    perms = set(
        museum.managers_group.page_permissions.values_list("permission__codename", flat=True)
    )
    assert "publish_page" in perms
    assert "publish_page" not in set(
        museum.editors_group.page_permissions.values_list("permission__codename", flat=True)
    )
    assert Group.objects.filter(name__startswith="M0572").count() == 2


def test_search_text_is_accent_free(museum_index):
    museum = MuseumPageFactory(
        parent=museum_index, title="Musée d'art moderne de Céret", commune="Céret"
    )
    assert "ceret" in museum.search_text
    assert museum.commune_slug == "ceret"
