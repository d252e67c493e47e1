"""The work form's vocabularies (musees/catalogue/vocabulary.py): suggestions for museum staff
only, accents and case folded; new denominations, periods and techniques created when the form is
saved, domains from the list only; drafts and publication keep them."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from musees.catalogue.models import Domain, Period, Technique, Work
from musees.catalogue.vocabulary import ERROR_UNKNOWN_DOMAIN, SUGGESTIONS
from tests.accounts.people import make_user
from tests.catalogue.admin.test_work_form import edit_url, errors_of, work_data
from tests.catalogue.factories import (
    DenominationFactory,
    DomainFactory,
    TechniqueFactory,
    WorkFactory,
)

BASE = "/admin/oeuvres"
TECHNIQUES = f"{BASE}/vocabulaire/techniques/"
DOMAINS = f"{BASE}/vocabulaire/domaines/"


def suggested(client, url, query) -> list[str]:
    response = client.get(url, {"q": query})
    assert response.status_code == 200
    return [item["label"] for item in response.json()["results"]]


@pytest.fixture
def techniques(db):
    return [
        TechniqueFactory(label=label)
        for label in [
            "céramique",
            "céramique sigillée",
            "sigillée",
            "terre cuite vernissée",
            "faïence",
            "huile sur toile",
        ]
    ]


# --- Who may ask -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login_page(techniques):
    response = Client().get(TECHNIQUES, {"q": "cera"})
    assert response.status_code == 302
    assert "login" in response.url
    assert "céramique" not in response.content.decode()


def test_user_without_any_role_is_refused(techniques):
    # Without admin access, Wagtail's guard of every admin address sends to the login page.
    client = Client()
    client.force_login(make_user("visiteur@exemple.fr"))
    response = client.get(TECHNIQUES, {"q": "cera"})
    assert response.status_code in (302, 403, 404)
    assert response.status_code != 302 or "login" in response.url
    assert "céramique" not in response.content.decode()


def test_admin_access_without_a_museum_role_is_refused(techniques):
    user = make_user("stagiaire@exemple.fr")
    group = Group.objects.create(name="Accès à l'administration seulement")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    response = client.get(TECHNIQUES, {"q": "cera"})
    assert response.status_code == 403
    assert "céramique" not in response.content.decode()


# --- Matching ----------------------------------------------------------------------------------


def test_suggestions_fold_accents_and_case_prefix_first(client, editor_a, techniques):
    client.force_login(editor_a)
    assert suggested(client, TECHNIQUES, "CÉRAM") == ["céramique", "céramique sigillée"]
    assert suggested(client, TECHNIQUES, "ceram") == ["céramique", "céramique sigillée"]
    assert suggested(client, TECHNIQUES, "faience") == ["faïence"]
    # Labels that start with the text come before those that only contain it.
    assert suggested(client, TECHNIQUES, "sigillee") == ["sigillée", "céramique sigillée"]
    assert suggested(client, TECHNIQUES, "Vernissée") == ["terre cuite vernissée"]
    assert suggested(client, TECHNIQUES, "   ") == []


def test_suggestions_say_whether_the_text_names_a_term(client, editor_a, techniques):
    client.force_login(editor_a)
    assert client.get(TECHNIQUES, {"q": "Huile sur toile"}).json()["exact"] is True
    assert client.get(TECHNIQUES, {"q": "huile sur"}).json()["exact"] is False


def test_at_most_ten_suggestions(client, editor_a):
    for number in range(SUGGESTIONS + 5):
        TechniqueFactory(label=f"bois {number:02d}")
    client.force_login(editor_a)
    labels = suggested(client, TECHNIQUES, "bois")
    assert labels == [f"bois {number:02d}" for number in range(SUGGESTIONS)]


def test_typing_creates_nothing(client, editor_a, techniques):
    client.force_login(editor_a)
    suggested(client, TECHNIQUES, "bronze doré")
    assert not Technique.objects.filter(label="bronze doré").exists()


# --- The form: creation rules ---------------------------------------------------------------


def test_form_shows_the_chosen_terms_as_labels(client, editor_a, museum_a, techniques):
    work = WorkFactory(museum=museum_a, status=Work.Status.DRAFT, techniques=techniques[:2])
    client.force_login(editor_a)
    html = client.get(edit_url(work)).content.decode()
    assert 'value="céramique ; céramique sigillée"' in html
    assert f'data-suggestions-url="{TECHNIQUES}"' in html
    assert "Plusieurs termes : séparez-les par « ; »." in html


def test_new_denominations_techniques_and_periods_are_created_on_save(
    client, editor_a, museum_a, work_a, techniques
):
    DomainFactory(label="archéologie")
    DenominationFactory(label="vase")
    client.force_login(editor_a)
    data = work_data(
        museum_a,
        inventory_number=work_a.inventory_number,
        domains="Archéologie",
        denominations="Vase ; fragment de panse",
        periods="1er quart 19e siècle",
        techniques="CÉRAMIQUE ; bronze doré",
    )
    response = client.post(edit_url(work_a), data)
    assert response.status_code == 302, errors_of(response)
    work = Work.objects.get(pk=work_a.pk)
    # Existing terms are found whatever the accents and case; the others are new.
    assert [d.label for d in work.domains.all()] == ["archéologie"]
    assert sorted(d.label for d in work.denominations.all()) == ["fragment de panse", "vase"]
    assert sorted(t.label for t in work.techniques.all()) == ["bronze doré", "céramique"]
    assert Technique.objects.filter(slug="ceramique").count() == 1
    period = Period.objects.get(label="1er quart 19e siècle")
    assert (period.slug, period.year_start, period.year_end) == ("1er-quart-19e-siecle", 1800, 1825)
    assert list(work.periods.all()) == [period]


def test_unknown_domain_is_an_error_that_keeps_what_was_typed(
    client, editor_a, museum_a, work_a, techniques
):
    DomainFactory(label="peinture")
    client.force_login(editor_a)
    typed = "peinture ; Peinture murale imaginaire"
    data = work_data(
        museum_a,
        inventory_number=work_a.inventory_number,
        domains=typed,
        techniques="fresque inventée",
    )
    response = client.post(edit_url(work_a), data)
    assert response.status_code == 200
    expected = str(ERROR_UNKNOWN_DOMAIN) % {"label": "Peinture murale imaginaire"}
    assert errors_of(response)["domains"] == [expected]
    html = response.content.decode()
    assert expected.replace("'", "&#x27;") in html
    assert f'value="{typed}"' in html
    assert 'value="fresque inventée"' in html
    # Nothing is created while the form is refused.
    assert not Domain.objects.filter(label__icontains="imaginaire").exists()
    assert not Technique.objects.filter(label="fresque inventée").exists()
    assert not Work.objects.get(pk=work_a.pk).domains.exists()


# --- Drafts and publication ------------------------------------------------------------------


def test_a_draft_keeps_new_terms_until_published(client, editor_a, manager_a, museum_a, techniques):
    work = WorkFactory(
        museum=museum_a,
        title="Coupe sigillée",
        status=Work.Status.PUBLISHED,
        techniques=[techniques[0]],
    )
    client.force_login(editor_a)
    data = work_data(
        museum_a,
        inventory_number=work.inventory_number,
        title="Coupe sigillée",
        techniques="céramique ; engobe rouge",
    )
    response = client.post(edit_url(work), data)
    assert response.status_code == 302, errors_of(response)

    # The public keeps the published terms; the draft has the new one.
    work.refresh_from_db()
    assert [t.label for t in work.techniques.all()] == ["céramique"]
    draft = work.get_latest_revision_as_object()
    assert sorted(t.label for t in draft.techniques.all()) == ["céramique", "engobe rouge"]
    public = Client().get(work.get_absolute_url()).content.decode()
    assert "engobe rouge" not in public
    compare = client.get(
        f"{BASE}/history/{work.pk}/revisions/compare/live...{work.latest_revision.pk}/"
    ).content.decode()
    assert "engobe rouge" in compare
    assert "Matériaux et techniques" in compare

    client.force_login(manager_a)
    data["action-publish"] = "1"
    response = client.post(edit_url(work), data)
    assert response.status_code == 302, errors_of(response)
    work = Work.objects.get(pk=work.pk)
    assert sorted(t.label for t in work.techniques.all()) == ["céramique", "engobe rouge"]
    assert "engobe rouge" in Client().get(work.get_absolute_url()).content.decode()
