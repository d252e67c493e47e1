"""What the segment keeps so that a broad search reads almost nothing: the result cards, and the
facet counts of frequent words. Both must stay exact when works change after the build."""

import pytest

from musees.catalogue.models import Work
from musees.search import index as index_module
from musees.search.engine import rebuild
from musees.search.service import SearchQuery, search
from tests.catalogue.factories import (
    DenominationFactory,
    DomainFactory,
    WorkFactory,
    WorkImageFactory,
)
from tests.museums.factories import museum_in

pytestmark = pytest.mark.django_db


def facets(results) -> dict:
    return {f.name: {v.value: v.count for v in f.values} for f in results.facets}


@pytest.fixture
def amphorae(museum_index, monkeypatch):
    """Five amphorae in two museums; "amphore" is a frequent word (its counts are stored)."""
    monkeypatch.setattr(index_module, "FACET_CACHE_FROM", 2)
    nimes = museum_in(museum_index, "Nîmes", "30", "Gard", title="Musée de la Romanité")
    albi = museum_in(museum_index, "Albi", "81", "Tarn", title="Musée Toulouse-Lautrec")
    archaeology, ceramics = DomainFactory(label="archéologie"), DomainFactory(label="céramique")
    jar = DenominationFactory(label="amphore")
    works = [
        WorkFactory(
            museum=nimes if number < 3 else albi,
            title=f"Amphore {number}",
            inventory_number=f"2020.1.{number}",
            domains=[archaeology if number % 2 else ceramics],
            denominations=[jar],
        )
        for number in range(5)
    ]
    WorkFactory(museum=albi, title="Vase", domains=[ceramics])
    rebuild()
    return works


def test_stored_counts_of_a_broad_word_follow_the_changes(amphorae):
    """The counts read from the segment equal the counts computed over the matches, before
    and after works change (withdrawn, moved to another domain, a new one)."""

    def both():
        stored = facets(search(SearchQuery(text="amphore")))
        # An excluded word no work has: the same works, counted over the matches.
        counted = facets(search(SearchQuery(text="amphore -xylophone")))
        assert stored == counted
        return stored

    before = both()
    assert before["museum"] and sum(before["museum"].values()) == 5
    assert before["domain"] == {"archeologie": 2, "ceramique": 3}
    amphorae[0].status = Work.Status.WITHDRAWN
    amphorae[0].save()
    amphorae[1].domains.set([amphorae[2].domains.first()])
    amphorae[1].save()
    WorkFactory(museum=amphorae[4].museum, title="Amphore nouvelle", domains=[])
    after = both()
    assert sum(after["museum"].values()) == 5
    assert after["domain"] == {"archeologie": 1, "ceramique": 3}
    assert search(SearchQuery(text="amphore")).total == 5


def test_a_page_of_results_reads_no_work_from_the_database(amphorae, django_assert_max_num_queries):
    WorkImageFactory(work=amphorae[3])
    search(SearchQuery(text="amphore"))  # museums and facet labels read once, then cached
    with django_assert_max_num_queries(1):  # the index state and the last change
        results = search(SearchQuery(text="amphore"))
    cards = {hit.work.title: hit.work for hit in results.hits}
    work = cards["Amphore 3"]
    assert work.museum.display_name == "Musée Toulouse-Lautrec"
    assert work.inventory_number == "2020.1.3"
    assert work.card_denomination == "amphore"
    assert work.card_image_id == amphorae[3].images.first().image_id
    assert work.get_absolute_url() == amphorae[3].get_absolute_url()
    assert cards["Amphore 0"].card_image_id is None


def test_a_card_shows_the_work_as_it_is_now(amphorae):
    """A title changed after the build: the card (and its highlight) show the new one."""
    amphorae[2].title = "Amphore vinaire restaurée"
    amphorae[2].description = "Restaurée en 2024."
    amphorae[2].save()
    hits = {hit.work.pk: hit for hit in search(SearchQuery(text="restaurée")).hits}
    assert hits[amphorae[2].pk].work.title == "Amphore vinaire restaurée"
    assert "<mark>Restaurée</mark>" in hits[amphorae[2].pk].snippet_html
