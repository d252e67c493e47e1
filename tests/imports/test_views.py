"""Importing from the admin: upload, the job's page and report, the list; one museum only."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from musees.catalogue.models import Work
from musees.imports.models import ImportJob
from musees.imports.services import OTHER_MUSEUM

from .conftest import JOCONDE_CSV, JOCONDE_TXT, LIDO, post_import

pytestmark = pytest.mark.django_db


def report_rows(client, job) -> list[dict]:
    response = client.get(reverse("imports:report", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_joconde_text_upload_creates_the_works_and_offers_the_report(client, editor_b, museum_b):
    client.force_login(editor_b)
    response = post_import(client, museum_b, JOCONDE_TXT, "joconde-txt")

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert (job.status, job.processed, job.created, job.rejected) == ("done", 3, 3, 0)
    assert job.user == editor_b and job.original_name == JOCONDE_TXT.name
    assert Work.objects.filter(museum=museum_b).count() == 3

    page = client.get(response["Location"]).content.decode()
    assert "Télécharger le rapport (CSV)" in page
    assert 'value="100"' in page
    assert {row["type"] for row in report_rows(client, job)} <= {"avertissement"}


def test_a_second_run_of_the_same_file_leaves_the_works_unchanged(client, editor_b, museum_b):
    client.force_login(editor_b)
    post_import(client, museum_b, JOCONDE_TXT, "joconde-txt")
    post_import(client, museum_b, JOCONDE_TXT, "joconde-txt")

    second = ImportJob.objects.order_by("pk").last()
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)


def test_rows_of_another_museum_are_rejected_with_line_field_and_reason(client, editor_a, museum_a):
    client.force_login(editor_a)
    response = post_import(client, museum_a, JOCONDE_CSV, "joconde-csv")

    job = ImportJob.objects.get()
    assert (job.status, job.processed, job.created, job.rejected) == ("done", 39, 34, 5)
    assert set(Work.objects.values_list("museum_id", flat=True)) == {museum_a.pk}

    rejected = [row for row in report_rows(client, job) if row["type"] == "rejet"]
    assert len(rejected) == 5
    assert {row["champ"] for row in rejected} == {"MUSEO"}
    assert {row["motif"] for row in rejected} == {
        OTHER_MUSEUM % {"found": found, "museum": "M0458"} for found in ("M7013", "M0567")
    }
    assert all(int(row["ligne"]) > 1 for row in rejected)

    page = client.get(response["Location"]).content.decode()
    assert "Notices rejetées" in page
    assert "notice du musée « M7013 »" in page


def test_lido_upload_creates_the_records_and_rejects_repeated_inventory_numbers(
    client, manager_a, museum_a
):
    client.force_login(manager_a)
    post_import(client, museum_a, LIDO, "lido")

    # The CIMEC export repeats 8 inventory numbers ("f.n." three times): 9 records rejected.
    job = ImportJob.objects.get()
    assert (job.status, job.processed, job.created, job.rejected) == ("done", 486, 477, 9)
    assert Work.objects.filter(museum=museum_a).count() == 477
    rejected = [row for row in report_rows(client, job) if row["type"] == "rejet"]
    assert {row["champ"] for row in rejected} == {"INV"}
    assert any("« f.n. »" in row["motif"] for row in rejected)


def test_strict_mode_with_a_bad_row_commits_nothing(client, editor_a, museum_a):
    client.force_login(editor_a)
    response = post_import(client, museum_a, JOCONDE_CSV, "joconde-csv", mode="strict")

    job = ImportJob.objects.get()
    assert (job.status, job.strict, job.committed, job.rejected) == ("done", True, False, 5)
    assert not Work.objects.exists()
    assert "Mode strict : au moins une notice est invalide" in client.get(
        response["Location"]
    ).content.decode("utf-8")


def test_dry_run_checks_everything_and_writes_nothing(client, editor_a, museum_a):
    client.force_login(editor_a)
    post_import(client, museum_a, JOCONDE_CSV, "joconde-csv", dry_run=True)

    job = ImportJob.objects.get()
    assert (job.status, job.dry_run, job.created, job.rejected) == ("done", True, 34, 5)
    assert not Work.objects.exists()


def test_a_file_of_the_wrong_format_ends_failed_with_a_french_message(client, editor_a, museum_a):
    client.force_login(editor_a)
    response = post_import(client, museum_a, JOCONDE_TXT, "lido")

    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.error_message.startswith("Ce fichier n'est pas")
    assert job.finished_at is not None
    status = client.get(reverse("imports:status", args=[job.pk])).json()
    assert status["finished"] is True
    assert status["message"] == f"L'import a échoué : {job.error_message}"
    assert escape(job.error_message) in client.get(response["Location"]).content.decode()


def test_status_endpoint_gives_the_progress_as_json(client, editor_b, museum_b):
    client.force_login(editor_b)
    post_import(client, museum_b, JOCONDE_TXT, "joconde-txt")
    job = ImportJob.objects.get()

    data = client.get(reverse("imports:status", args=[job.pk])).json()
    assert data["status"] == "done" and data["finished"] is True and data["percent"] == 100
    assert (data["created"], data["rejected"]) == (3, 0)


def test_job_page_of_a_queued_job_polls_its_status(client, editor_b, museum_b):
    job = ImportJob.objects.create(
        museum=museum_b, user=editor_b, original_name="a.txt", format="joconde-txt"
    )
    client.force_login(editor_b)
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert f'data-status-url="{reverse("imports:status", args=[job.pk])}"' in page
    assert 'data-finished="0"' in page
    assert "js/import-progress.js" in page
    assert "<progress" in page and 'aria-live="polite"' in page
    assert "Télécharger le rapport" not in page


# --- The form -----------------------------------------------------------------------------------


def test_form_offers_only_the_users_museum_preselected(client, editor_a, museum_a, museum_b):
    client.force_login(editor_a)
    response = client.get(reverse("imports:new"))
    form = response.context["form"]
    assert list(form.fields["museum"].queryset) == [museum_a]
    assert form["museum"].value() == museum_a.pk
    assert "Musée Rolin" not in response.content.decode()


def test_moderator_may_import_into_every_museum(client, moderator, museum_a, museum_b):
    client.force_login(moderator)
    form = client.get(reverse("imports:new")).context["form"]
    assert set(form.fields["museum"].queryset) == {museum_a, museum_b}
    assert form["museum"].value() is None


def test_posting_another_museums_id_is_refused(client, editor_a, museum_a, museum_b):
    client.force_login(editor_a)
    response = post_import(client, museum_b, JOCONDE_TXT, "joconde-txt")

    assert response.status_code == 200
    assert response.context["form"].errors["museum"] == [
        "Vous ne pouvez pas importer de notices dans ce musée."
    ]
    assert not ImportJob.objects.exists()
    assert not Work.objects.exists()


def test_form_keeps_the_choices_on_error_in_french(client, editor_a, museum_a):
    client.force_login(editor_a)
    response = client.post(
        reverse("imports:new"),
        {"museum": museum_a.pk, "format": "lido", "mode": "strict", "dry_run": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choisissez le fichier à importer." in page
    for name, value in (("format", "lido"), ("mode", "strict")):
        assert re.search(rf'name="{name}" value="{value}"[^>]*checked', page)
    assert re.search(r'name="dry_run"[^>]*checked', page)
    form = response.context["form"]
    assert (form["format"].value(), form["mode"].value(), form["dry_run"].value()) == (
        "lido",
        "strict",
        True,
    )
    assert not ImportJob.objects.exists()


# --- Another museum's jobs ------------------------------------------------------------------------


@pytest.fixture
def job_of_b(client, editor_b, museum_b):
    client.force_login(editor_b)
    post_import(client, museum_b, JOCONDE_TXT, "joconde-txt")
    client.logout()
    return ImportJob.objects.get(museum=museum_b)


@pytest.mark.parametrize("name", ["imports:job", "imports:status", "imports:report"])
def test_another_museums_job_is_not_found(client, editor_a, job_of_b, name):
    client.force_login(editor_a)
    assert client.get(reverse(name, args=[job_of_b.pk])).status_code == 404


def test_another_museums_jobs_are_not_listed(client, editor_a, museum_a, job_of_b):
    client.force_login(editor_a)
    for name in ("imports:new", "imports:index"):
        page = client.get(reverse(name)).content.decode()
        assert JOCONDE_TXT.name not in page
        assert "Musée Rolin" not in page


def test_own_jobs_are_listed(client, editor_b, job_of_b):
    client.force_login(editor_b)
    page = client.get(reverse("imports:index")).content.decode()
    assert JOCONDE_TXT.name in page
    assert reverse("imports:job", args=[job_of_b.pk]) in page


def test_moderator_sees_every_museums_job(client, moderator, job_of_b):
    client.force_login(moderator)
    assert client.get(reverse("imports:job", args=[job_of_b.pk])).status_code == 200
    assert client.get(reverse("imports:report", args=[job_of_b.pk])).status_code == 200


@pytest.mark.parametrize("name", ["imports:job", "imports:status", "imports:report"])
def test_anonymous_is_sent_to_login(client, job_of_b, name):
    response = client.get(reverse(name, args=[job_of_b.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert client.get(reverse("imports:new")).status_code == 302


def test_staff_without_a_museum_role_cannot_import(client, museum_a):
    from django.contrib.auth.models import Permission

    from tests.accounts.people import make_user

    user = make_user("sans-role@exemple.fr")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(reverse("imports:new")).status_code == 404
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Importer des notices" not in menu


def test_a_file_of_another_museums_notices_fills_neither_museum(
    client, editor_a, museum_a, museum_b
):
    client.force_login(editor_a)
    post_import(client, museum_a, JOCONDE_TXT, "joconde-txt")  # the notices of M0017 (museum B)

    job = ImportJob.objects.get()
    assert (job.museum, job.created, job.rejected) == (museum_a, 0, 3)
    assert not Work.objects.exists()
