"""Search behaviour on a small fixed corpus, the same on SQLite and PostgreSQL.

Every test runs twice: with the works in a built segment (`rebuild()` after they were written)
and with the works only in the change log (the segment was built before them): what a visitor
finds must not depend on when the index was last rebuilt.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from musees.catalogue.models import Work
from musees.search.engine import rebuild
from musees.search.service import SearchQuery, search, suggest
from tests.catalogue.factories import (
    DenominationFactory,
    DomainFactory,
    PersonFactory,
    TechniqueFactory,
    WorkAuthorFactory,
    WorkFactory,
    WorkImageFactory,
)
from tests.museums.factories import museum_in

pytestmark = pytest.mark.django_db


def titles(results) -> list[str]:
    return [hit.work.title for hit in results.hits]


def find(text="", **kwargs) -> list[str]:
    return titles(search(SearchQuery(text=text, **kwargs)))


class Corpus:
    """Eight works in two museums of two départements, and three the public must not see."""

    def __init__(self, museum_index):
        self.nimes = museum_in(museum_index, "Nîmes", "30", "Gard", title="Musée de la Romanité")
        self.albi = museum_in(museum_index, "Albi", "81", "Tarn", title="Musée Toulouse-Lautrec")
        hidden_museum = museum_in(museum_index, "Sète", "34", "Hérault", title="Musée fermé")
        hidden_museum.unpublish()
        archaeology = DomainFactory(label="archéologie")
        painting = DomainFactory(label="peinture")
        ceramic = TechniqueFactory(label="céramique")
        oil = TechniqueFactory(label="huile sur toile")
        self.lautrec = PersonFactory(label="TOULOUSE-LAUTREC Henri de")
        dupont = PersonFactory(label="DUPONT Jean")
        self.amphora = WorkFactory(
            museum=self.nimes,
            title="Amphore gallo-romaine",
            description="Amphore à vin retrouvée sur le site de la Fontaine.",
            domains=[archaeology],
            denominations=[DenominationFactory(label="amphore")],
            techniques=[ceramic],
            year_start=1,
        )
        WorkImageFactory(work=self.amphora)
        self.lamp = WorkFactory(
            museum=self.nimes,
            title="Lampe à huile",
            description="Petite lampe décorée d'une amphore et d'un dauphin.",
            domains=[archaeology],
            denominations=[DenominationFactory(label="lampe à huile")],
            techniques=[TechniqueFactory(label="terre cuite")],
            year_start=50,
        )
        self.portrait = WorkFactory(
            museum=self.albi,
            title="Portrait de femme",
            description="Étude au jardin du père Forest.",
            domains=[painting],
            techniques=[oil],
            year_start=1889,
        )
        WorkAuthorFactory(work=self.portrait, person=self.lautrec)
        self.homage = WorkFactory(
            museum=self.albi,
            title="Au Moulin Rouge, hommage à Toulouse-Lautrec",
            description="Peintures inspirées des affiches de Toulouse-Lautrec.",
            domains=[painting],
            techniques=[oil],
            year_start=1950,
        )
        WorkAuthorFactory(work=self.homage, person=dupont)
        self.sherd = WorkFactory(
            museum=self.albi,
            inventory_number="2011.3.12",
            title="Céramiques sigillées",
            description="Tessons de vases de la Graufesenque.",
            domains=[archaeology],
            techniques=[ceramic],
            year_start=80,
        )
        self.mixed = WorkFactory(
            museum=self.nimes,
            title="Vase peint",
            description="Vase à décor peint, céramique et dorure.",
            domains=[archaeology, painting],
            techniques=[
                ceramic,
                TechniqueFactory(label="dorure"),
                TechniqueFactory(label="engobe"),
            ],
        )
        WorkFactory(museum=self.nimes, title="Amphore en brouillon", status=Work.Status.DRAFT)
        WorkFactory(museum=self.nimes, title="Amphore retirée", status=Work.Status.WITHDRAWN)
        WorkFactory(museum=hidden_museum, title="Amphore d'un musée fermé")


@pytest.fixture(params=["segment", "changes"])
def corpus(request, museum_index):
    if request.param == "changes":
        rebuild()  # an index of nothing: the corpus reaches search through the change log
        return Corpus(museum_index)
    built = Corpus(museum_index)
    rebuild()
    return built


def test_accents_and_case_do_not_matter(corpus):
    assert (
        set(find("ceramique"))
        == set(find("CÉRAMIQUE"))
        == {
            "Amphore gallo-romaine",
            "Céramiques sigillées",
            "Vase peint",
        }
    )


def test_plural_finds_singular_and_back(corpus):
    """French stemming: "peintures" finds "peinture" (a domain) and "peint" does not match."""
    found = set(find("peintures"))
    assert {"Portrait de femme", "Au Moulin Rouge, hommage à Toulouse-Lautrec"} <= found
    assert set(find("amphores")) == set(find("amphore"))


def test_elisions_are_ignored(corpus):
    assert find("l'amphore") == find("amphore")
    assert find("d’amphore") == find("amphore")


def test_title_and_denomination_before_description(corpus):
    assert find("amphore") == ["Amphore gallo-romaine", "Lampe à huile"]


def test_author_typed_comes_first_and_hyphenated_name_is_one_name(corpus):
    found = find("Toulouse-Lautrec")
    assert found == ["Portrait de femme", "Au Moulin Rouge, hommage à Toulouse-Lautrec"]
    assert set(find("lautrec")) == set(found)


def test_phrase_needs_the_words_together(corpus):
    assert set(find('"huile sur toile"')) == {
        "Portrait de femme",
        "Au Moulin Rouge, hommage à Toulouse-Lautrec",
    }
    assert find('"lampe à huile"') == ["Lampe à huile"]
    assert find('"huile lampe"') == []


def test_excluded_word_removes_works(corpus):
    assert find("amphore -lampe") == ["Amphore gallo-romaine"]
    assert find('archéologie -"lampe à huile"').count("Lampe à huile") == 0


def test_prefix_completes_words(corpus):
    assert set(find("céram*")) == {"Amphore gallo-romaine", "Céramiques sigillées", "Vase peint"}


def test_exact_inventory_number_comes_first(corpus):
    assert find("2011.3.12")[0] == "Céramiques sigillées"


def test_work_with_image_is_ahead_of_an_equal_match(corpus):
    found = find("archéologie")
    assert found[0] == "Amphore gallo-romaine"  # the only one with an image


def test_public_never_sees_drafts_withdrawn_or_closed_museums(corpus):
    assert not [title for title in find("amphore") if "brouillon" in title or "retirée" in title]
    assert "Amphore d'un musée fermé" not in find("amphore")
    assert search(SearchQuery()).total == 6


def test_facets_count_exactly_or_within_and_across(corpus):
    results = search(SearchQuery(text="céramique"))
    domains = {v.label: v.count for v in results.facet("domain").values}
    assert domains == {"Archéologie": 3, "Peinture": 1}
    museums = {v.label: v.count for v in results.facet("museum").values}
    assert museums == {"Musée de la Romanité": 2, "Musée Toulouse-Lautrec": 1}

    archaeology = results.facet("domain").values[0].value
    painting = results.facet("domain").values[1].value
    both = search(SearchQuery(filters={"domain": (archaeology, painting)}))
    assert both.total == 6  # OR within a facet
    across = search(SearchQuery(filters={"domain": (painting,), "departement": ("30",)}))
    assert titles(across) == ["Vase peint"]  # AND across facets
    # A facet's counts ignore its own selection: the other domain stays visible.
    counts = {v.label: (v.count, v.selected) for v in across.facet("domain").values}
    assert counts == {"Archéologie": (3, False), "Peinture": (1, True)}
    departements = {v.value: v.count for v in across.facet("departement").values}
    assert departements == {"30": 1, "81": 2}


def test_image_and_author_facets(corpus):
    results = search(SearchQuery(filters={"image": ("1",)}))
    assert titles(results) == ["Amphore gallo-romaine"]
    authors = search(SearchQuery()).facet("author").values
    assert {v.label: v.count for v in authors} == {
        "TOULOUSE-LAUTREC Henri de": 1,
        "DUPONT Jean": 1,
    }
    assert find(filters={"author": (corpus.lautrec.slug,)}) == ["Portrait de femme"]
    # A work with three techniques counts in each (the third is stored apart).
    techniques = search(SearchQuery()).facet("technique").values
    assert {v.label: v.count for v in techniques} == {
        "Céramique": 3,
        "Huile sur toile": 2,
        "Terre cuite": 1,
        "Dorure": 1,
        "Engobe": 1,
    }
    decorated = search(SearchQuery(text="vase")).facet("technique").values
    assert {v.label: v.count for v in decorated} == {"Céramique": 2, "Dorure": 1, "Engobe": 1}


def test_unknown_filter_values_are_reported_not_fatal(corpus):
    results = search(SearchQuery(text="amphore", filters={"domain": ("n-existe-pas",)}))
    assert results.total == 0
    assert results.unknown_filters == [("domain", "n-existe-pas")]


def test_sorts(corpus):
    oldest = ["Amphore gallo-romaine", "Lampe à huile", "Céramiques sigillées"]
    assert find(sort="date")[:3] == oldest
    assert find(sort="-date")[0] == "Au Moulin Rouge, hommage à Toulouse-Lautrec"
    assert find(sort="title")[0] == "Amphore gallo-romaine"
    assert find(sort="recent")[0] == "Vase peint"


def test_pages_do_not_overlap(corpus):
    first = find(per_page=4)
    second = find(per_page=4, page=2)
    assert len(first) == 4 and len(second) == 2
    assert not set(first) & set(second)
    past_the_end = search(SearchQuery(per_page=4, page=99))
    assert past_the_end.query.page == 2 and titles(past_the_end) == second


def test_snippets_mark_what_was_typed(corpus):
    hit = search(SearchQuery(text="vins")).hits[0]
    assert "<mark>vin</mark>" in hit.snippet_html
    hit = search(SearchQuery(text="amphore")).hits[0]
    assert hit.title_html == "<mark>Amphore</mark> gallo-romaine"


def test_changes_are_found_at_once(corpus):
    """Publishing, withdrawing, editing and deleting show in the very next search."""
    corpus.lamp.title = "Lucerne à huile"
    corpus.lamp.save()
    assert "Lucerne à huile" in find("lucerne")
    corpus.amphora.status = Work.Status.WITHDRAWN
    corpus.amphora.save()
    assert find("amphore") == ["Lucerne à huile"]
    corpus.amphora.status = Work.Status.PUBLISHED
    corpus.amphora.save()
    assert "Amphore gallo-romaine" in find("amphore")
    corpus.sherd.delete()
    assert find("sigillées") == []
    corpus.portrait.domains.clear()
    corpus.portrait.save()  # a work's vocabularies are saved with it (revisions keep them)
    assert "Portrait de femme" not in find("peinture")


def test_museum_unpublished_hides_its_works(corpus):
    corpus.albi.unpublish()
    assert find("Toulouse-Lautrec") == []
    corpus.albi.save_revision().publish()
    assert len(find("Toulouse-Lautrec")) == 2


def test_suggestions_complete_the_last_word(corpus):
    suggestions = suggest("vase amph")
    assert suggestions[0]["text"] == "vase amphore"
    assert suggestions[0]["count"] == 2
    assert suggest("a") == []  # one letter suggests nothing


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "((((",
        "amphore AND NEAR(lampe, 2)",
        "title:amphore",
        "*",
        "-",
        "- -",
        "-*",
        "a\x00b",
        "🏺 amphore 🏺",
        "x" * 10_000,
        "amphore " * 2_000,
        "l'",
        "'",
        '"amphore',
        "amphore\"'*-:^~",
        "\u202e\u200b",
        "DROP TABLE catalogue_work; --",
    ],
)
def test_any_text_is_just_text(corpus, text):
    results = search(SearchQuery(text=text))
    assert results.total >= 0
    assert "Amphore gallo-romaine" in find("🏺 amphore 🏺")


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=st.text(max_size=200), page=st.integers(min_value=-5, max_value=10**9))
def test_fuzz_never_fails(corpus, text, page):
    results = search(SearchQuery(text=text, page=page, sort=text[:8]))
    assert 0 <= len(results.hits) <= results.query.per_page


def test_builder_parts_merge_into_the_same_segment(corpus):
    """A rebuild shares its work between processes: parts merged give the same arrays."""
    from musees.search.documents import Vocabularies, all_documents
    from musees.search.index import SegmentBuilder

    documents = list(all_documents(Vocabularies()))
    whole = SegmentBuilder()
    for document in documents:
        whole.add(document)
    merged = SegmentBuilder()
    for half in (documents[:3], documents[3:]):
        part = SegmentBuilder()
        for document in half:
            part.add(document)
        merged.merge(part.part())
    expected, got = whole.arrays(), merged.arrays()
    assert expected.keys() == got.keys()
    for name, values in expected.items():
        assert values.tolist() == got[name].tolist(), name


def test_large_pending_change_waits_for_the_rebuild(museum_index, monkeypatch):
    """Past DELTA_LIMIT changes (a large import under way), the last index is served as it is;
    the rebuild that ends the import makes the works searchable."""
    from musees.search import engine as engine_module

    monkeypatch.setattr(engine_module, "DELTA_LIMIT", 2)
    museum = museum_in(museum_index, "Nîmes", "30", "Gard")
    WorkFactory(museum=museum, title="Amphore du premier lot")
    rebuild()
    for number in range(5):
        WorkFactory(museum=museum, title=f"Amphore du grand import {number}")
    assert find("amphore") == ["Amphore du premier lot"]
    rebuild()
    assert len(find("amphore")) == 6
