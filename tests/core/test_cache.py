"""The anonymous full-page cache: what it serves, what it refuses, and when it forgets."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path

from musees.core.cache import CACHE_HEADER, public_cache_clear
from musees.museums.models import MuseumPage
from tests.museums.factories import MuseumPageFactory

# --- A small URLconf of its own, so the tests do not depend on the site's templates -------------


def museum_titles(request):
    """Every live museum's title, and the query string: one query per render."""
    titles = list(MuseumPage.objects.live().order_by("title").values_list("title", flat=True))
    return HttpResponse(" | ".join(titles) + f" ?{request.GET.urlencode()}")


def sets_a_cookie(request):
    response = museum_titles(request)
    response.set_cookie("preference", "1")
    return response


def reads_the_session(request):
    request.session.get("anything")
    return museum_titles(request)


def renders_a_form(request):
    return HttpResponse(f'<form method="post"><input name="t" value="{get_token(request)}">')


urlpatterns = [
    path("public/", museum_titles),
    path("cookie/", sets_a_cookie),
    path("session/", reads_the_session),
    path("form/", renders_a_form),
    path("admin/titles/", museum_titles),
    path("missing/", lambda request: HttpResponseNotFound("Introuvable")),
    path("moved/", lambda request: HttpResponseRedirect("/public/")),
]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def museum(museum_index):
    return MuseumPageFactory(parent=museum_index, title="Musée Ingres Bourdelle")


def test_second_anonymous_request_is_served_from_the_cache(
    client, museum, django_assert_num_queries
):
    first = client.get("/public/")
    assert first.status_code == 200
    assert first[CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/public/")
    assert second.status_code == 200
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_publishing_a_change_shows_on_the_next_response(client, museum):
    assert b"Ingres Bourdelle" in client.get("/public/").content
    museum.title = "Musée Ingres"
    museum.save_revision().publish()
    response = client.get("/public/")
    assert response[CACHE_HEADER] == "miss"
    assert response.content == "Musée Ingres ?".encode()


def test_unpublishing_and_deleting_pages_empty_the_cache(client, museum, museum_index):
    other = MuseumPageFactory(parent=museum_index, title="Musée Toulouse-Lautrec")
    assert b"Toulouse-Lautrec" in client.get("/public/").content
    other.unpublish()
    assert b"Toulouse-Lautrec" not in client.get("/public/").content
    client.get("/public/")
    MuseumPage.objects.get(pk=museum.pk).delete()
    assert b"Ingres" not in client.get("/public/").content


def test_any_museum_save_empties_the_cache(client, museum):
    client.get("/public/")
    MuseumPage.objects.filter(pk=museum.pk).update(title="Renamed without signal")
    assert b"Ingres" in client.get("/public/").content  # still cached: no signal was sent
    museum.refresh_from_db()
    museum.save()
    assert b"Renamed without signal" in client.get("/public/").content


def test_public_cache_clear_retires_every_page(client, museum):
    client.get("/public/")
    client.get("/public/?page=2")
    public_cache_clear()
    assert client.get("/public/")[CACHE_HEADER] == "miss"
    assert client.get("/public/?page=2")[CACHE_HEADER] == "miss"


def test_query_strings_are_distinct_keys(client, museum):
    assert client.get("/public/?departement=82")[CACHE_HEADER] == "miss"
    other = client.get("/public/?departement=31")
    assert other[CACHE_HEADER] == "miss"
    assert other.content.endswith(b"?departement=31")
    assert client.get("/public/?departement=82").content.endswith(b"?departement=82")
    assert client.get("/public/?departement=82")[CACHE_HEADER] == "hit"


def test_languages_are_distinct_keys(client, museum):
    assert client.get("/public/", headers={"accept-language": "fr"})[CACHE_HEADER] == "miss"
    assert client.get("/public/", headers={"accept-language": "en"})[CACHE_HEADER] == "miss"
    assert client.get("/public/", headers={"accept-language": "en"})[CACHE_HEADER] == "hit"


def test_logged_in_users_neither_read_nor_fill_the_cache(
    client, museum, django_user_model, django_assert_num_queries
):
    user = django_user_model.objects.create_user("redactrice", password="x" * 12)
    client.force_login(user)
    for _ in range(2):
        response = client.get("/public/")
        assert response.status_code == 200
        assert CACHE_HEADER not in response
    client.logout()
    client.cookies.clear()
    # Nothing was stored while logged in: the first anonymous request renders the page.
    assert client.get("/public/")[CACHE_HEADER] == "miss"
    # And an anonymous page already cached is not served to a logged-in user.
    client.force_login(user)
    with django_assert_num_queries(1, exact=False):
        response = client.get("/public/")
    assert CACHE_HEADER not in response


def test_responses_setting_a_cookie_are_not_cached(client, museum):
    for _ in range(2):
        response = client.get("/cookie/")
        assert "preference" in response.cookies
        assert CACHE_HEADER not in response


def test_pages_that_read_the_session_are_not_cached(client, museum):
    for _ in range(2):
        response = client.get("/session/")
        assert "Cookie" in response["Vary"]
        assert CACHE_HEADER not in response


def test_pages_with_a_form_keep_their_csrf_cookie(client, db):
    for _ in range(2):
        response = client.get("/form/")
        assert "csrftoken" in response.cookies
        assert CACHE_HEADER not in response


def test_admin_and_post_are_never_cached(client, museum):
    assert CACHE_HEADER not in client.get("/admin/titles/")
    assert CACHE_HEADER not in client.get("/admin/titles/")
    client.get("/public/")
    response = client.post("/public/")
    assert CACHE_HEADER not in response


@pytest.mark.parametrize("path", ["/missing/", "/moved/"])
def test_other_statuses_are_not_cached(client, db, path):
    for _ in range(2):
        response = client.get(path)
        assert response.status_code != 200
        assert CACHE_HEADER not in response


@pytest.mark.urls("musees.urls")
def test_site_pages_are_cached_for_anonymous_visitors(client, museum, django_assert_num_queries):
    """The real museum page never touches the session, so anonymous visitors get it cached.

    A template that reads the user or the session (`{% wagtailuserbar %}`, `{{ user }}`, a form
    with `{% csrf_token %}`) would make every public page uncacheable: this test says so.
    """
    # The very first render creates the site's settings row, and saving settings empties the
    # cache: render once before measuring.
    client.get(museum.url)
    first = client.get(museum.url)
    assert first.status_code == 200
    assert "Cookie" not in first.get("Vary", ""), "la page lit la session ou l'utilisateur"
    assert not first.cookies, f"la page pose un cookie : {list(first.cookies)}"
    assert first[CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get(museum.url)
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content


@pytest.mark.urls("musees.urls")
def test_a_page_saying_open_now_is_kept_one_minute_only(client, museum, monkeypatch):
    from musees.core import cache as public_cache
    from tests.museums.factories import OpeningHoursFactory

    OpeningHoursFactory(page=museum)
    timeouts = {}
    real_set = public_cache.cache.set

    def recording_set(key, value, timeout=None, **kwargs):
        if key.startswith(public_cache.KEY_PREFIX):
            timeouts[key] = timeout
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(public_cache.cache, "set", recording_set)
    assert client.get(museum.url)[CACHE_HEADER] == "miss"
    assert list(timeouts.values()) == [public_cache.TIME_DEPENDENT_SECONDS]
    timeouts.clear()
    museum.opening_hours.all().delete()
    public_cache_clear()
    assert client.get(museum.url)[CACHE_HEADER] == "miss"
    assert list(timeouts.values()) == [300]
