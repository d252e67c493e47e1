"""`import_works` and `generate_works`: what a documentalist types and reads."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from musees.catalogue.models import Work
from tests.museums.factories import MuseumPageFactory

DATA = Path(__file__).parents[1] / "data"
POP_FIXTURE = DATA / "joconde" / "pop_fixture_joconde-valid-UTF-8.txt"

NOTICES = """REF
00000000001
MUSEO
M0458
INV
1958.3.1
DOMN
costume - accessoires du costume
DENO
coiffe
TITR
Coiffe arlésienne
AUTR
anonyme (brodeuse)
DIMS
H. 21 cm, D. 69,5 cm
PERI
2e moitié 19e siècle
//
MUSEO
M0458
INV
1958.3.2
DOMN
ethnologie
DENO
sonnaille
//
MUSEO
M0458
DOMN
ethnologie
TITR
Notice sans numéro
//
"""


@pytest.fixture
def nimes(museum_index):
    return MuseumPageFactory(
        parent=museum_index, title="Musée du Vieux Nîmes", museofile_id="M0458"
    )


@pytest.fixture
def notices_file(tmp_path):
    path = tmp_path / "notices.txt"
    path.write_text(NOTICES, encoding="utf-8")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_works_reports_counts_and_each_rejected_record(nimes, notices_file):
    output = run("import_works", str(notices_file), "--format", "joconde-txt")

    assert "2 créées, 0 mises à jour, 0 inchangées, 1 rejetée" in output
    assert "notice 3 (ligne 29), champ INV : numéro d'inventaire (INV) manquant" in output
    work = Work.objects.get(inventory_number="1958.3.1")
    assert (work.title, work.height_cm, work.diameter_cm) == ("Coiffe arlésienne", 21.0, 69.5)
    assert (work.year_start, work.year_end) == (1850, 1899)
    assert work.source_format == "joconde-txt"


def test_import_works_a_second_time_changes_nothing(nimes, notices_file):
    run("import_works", str(notices_file), "--format", "joconde-txt")
    before = list(Work.objects.order_by("pk").values_list("pk", "updated_at"))

    output = run("import_works", str(notices_file), "--format", "joconde-txt")

    assert "0 créées, 0 mises à jour, 2 inchangées, 1 rejetée" in output
    assert list(Work.objects.order_by("pk").values_list("pk", "updated_at")) == before


def test_import_works_reads_the_real_pop_fixture_of_musee_rolin(museum_index):
    rolin = MuseumPageFactory(parent=museum_index, title="Musée Rolin", museofile_id="M0017")

    output = run("import_works", str(POP_FIXTURE), "--format", "joconde-txt")

    assert "3 créées, 0 mises à jour, 0 inchangées, 0 rejetées" in output
    assert "images non importées : fichiers introuvables" in output
    work = Work.objects.get(inventory_number="A1973.2.1")
    assert work.museum_id == rolin.pk
    assert work.joconde_ref == "01610014032"
    assert (work.height_cm, work.width_cm, work.depth_cm) == (1.64, 6.6, None)
    assert work.acquisition_year == 1955
    assert "archéologie" in {d.label for d in work.domains.all()}
    assert [d.label for d in work.denominations.all()] == ["fragment"]


def test_museum_option_sends_every_record_to_that_museum(museum_index):
    autun = MuseumPageFactory(parent=museum_index, title="Musée d'Autun", museofile_id="M0458")

    output = run("import_works", str(POP_FIXTURE), "--format", "joconde-txt", "--museum", "m0458")

    assert "3 créées" in output
    assert set(Work.objects.values_list("museum_id", flat=True)) == {autun.pk}


def test_unknown_museum_option_is_refused_in_french(nimes, notices_file):
    with pytest.raises(CommandError, match="Aucun musée n'a l'identifiant Muséofile « M9999 »"):
        run("import_works", str(notices_file), "--format", "joconde-txt", "--museum", "M9999")


def test_missing_file_is_refused_in_french(db):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run("import_works", "/nulle/part.txt", "--format", "joconde-txt")


def test_dry_run_saves_nothing(nimes, notices_file):
    output = run("import_works", str(notices_file), "--format", "joconde-txt", "--dry-run")

    assert "Essai à blanc, rien n'a été enregistré : 2 créées" in output
    assert not Work.objects.exists()


def test_strict_saves_nothing_when_a_record_is_bad(nimes, notices_file):
    with pytest.raises(CommandError, match="Mode strict"):
        run("import_works", str(notices_file), "--format", "joconde-txt", "--strict")

    assert not Work.objects.exists()


def test_report_option_writes_the_rejected_records(nimes, notices_file, tmp_path):
    report = tmp_path / "rapport.csv"

    run("import_works", str(notices_file), "--format", "joconde-txt", "--report", str(report))

    rows = list(csv.reader(report.open(encoding="utf-8")))
    assert rows[1][:4] == ["rejet", "3", "29", "INV"]


def test_import_works_reads_joconde_csv_and_lido(museum_index):
    for museofile_id in ("M0458", "M7013", "M0567"):
        MuseumPageFactory(parent=museum_index, museofile_id=museofile_id)

    csv_output = run(
        "import_works", str(DATA / "joconde" / "joconde_costumes_occitanie_subset.csv"),
        "--format", "joconde-csv",
    )  # fmt: skip
    lido_output = run(
        "import_works", str(DATA / "lido" / "lido_v1.0_example_FotoMarburg_Fontana_del_Moro.xml"),
        "--format", "lido", "--museum", "M0458",
    )  # fmt: skip

    assert "39 créées" in csv_output
    assert "rejetée" in lido_output or "créée" in lido_output


def test_generate_works_imports_deterministic_records_across_museums(museum_index):
    for museofile_id in ("M0458", "M7013"):
        MuseumPageFactory(parent=museum_index, museofile_id=museofile_id)

    output = run("generate_works", "30", "--seed", "3", "--museums", "M0458,M7013")
    again = run("generate_works", "30", "--seed", "3", "--museums", "M0458,M7013")

    assert "30 créées, 0 mises à jour, 0 inchangées, 0 rejetées" in output
    assert "0 créées, 0 mises à jour, 30 inchangées, 0 rejetées" in again
    assert Work.objects.filter(museum__museofile_id="M7013").count() == 15
    assert not Work.objects.filter(domains__isnull=True).exists()
    assert not Work.objects.filter(work_authors__isnull=True).exists()


def test_generate_works_writes_a_joconde_file_that_import_works_reads(museum_index, tmp_path):
    MuseumPageFactory(parent=museum_index, museofile_id="M0458")
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"

    run("generate_works", "25", "--seed", "7", "--museums", "M0458", "--output", str(first))
    run("generate_works", "25", "--seed", "7", "--museums", "M0458", "--output", str(second))
    output = run("import_works", str(first), "--format", "joconde-txt")

    assert first.read_bytes() == second.read_bytes()
    assert "25 créées, 0 mises à jour, 0 inchangées, 0 rejetées" in output


def test_generate_works_refuses_unknown_museums(db):
    with pytest.raises(CommandError, match="Musées inconnus : M9999"):
        run("generate_works", "5", "--museums", "M9999")
