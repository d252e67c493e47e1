"""A bulk import is searchable when it ends: the follower indexes its batches as they commit.

The follower's steps run inline here (the test's database is the test's transaction); the last
test runs `manage.py import_works` in a subprocess, where the follower is a second process.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from musees.catalogue.models import Work
from musees.catalogue.services import works_import
from musees.search import engine as engine_module
from musees.search import follower as follower_module
from musees.search.engine import rebuild
from musees.search.follower import Follower
from musees.search.models import SearchChange, SearchIndexState
from musees.search.service import SearchQuery, search
from tests.catalogue import test_kill as kill
from tests.catalogue.factories import WorkFactory, WorkRecordFactory
from tests.museums.factories import museum_in

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def total(text: str) -> int:
    return search(SearchQuery(text=text)).total


def titles(text: str) -> set[str]:
    return {hit.work.title for hit in search(SearchQuery(text=text, per_page=100)).hits}


def records(count: int, start: int = 0, word: str = "coiffe"):
    for number in range(start, start + count):
        yield WorkRecordFactory(
            museofile_id="M0458",
            inventory_number=f"2024.7.{number}",
            fields={"title": f"{word.capitalize()} numéro {number}", "description": "Dentelle."},
        )


@pytest.fixture
def museum(museum_index):
    return museum_in(museum_index, "Nîmes", "30", "Gard", museofile_id="M0458")


@pytest.fixture
def small_delta(monkeypatch):
    """The change log serves at most 5 works from memory: an import of 30 is a large one."""
    monkeypatch.setattr(engine_module, "DELTA_LIMIT", 5)


def test_import_is_searchable_when_it_ends(museum, small_delta):
    WorkFactory(museum=museum, title="Coiffe ancienne")
    rebuild()
    follower = Follower(threshold=10)
    report = works_import(records=records(30), batch_size=4, progress=lambda _r: follower.step())
    assert report.created == 30
    # During the import the last segment is served as it is (30 changes > DELTA_LIMIT).
    assert total("coiffe") == 1
    result = follower.finish()
    assert result["installed"]
    assert result["documents"] == 31
    assert total("coiffe") == 31
    assert "Coiffe numéro 29" in titles("29")
    state = SearchIndexState.objects.get()
    assert state.watermark == SearchChange.objects.order_by("-id").values_list("id", flat=True)[0]


def test_small_import_stays_in_the_change_log(museum):
    rebuild()
    before = SearchIndexState.objects.get().segment
    follower = Follower(threshold=10)
    works_import(records=records(6), batch_size=2, progress=lambda _r: follower.step())
    assert follower.finish() == {"installed": False, "changed": 6}
    assert SearchIndexState.objects.get().segment == before
    assert total("coiffe") == 6  # through the change log


def test_works_changed_during_the_import_keep_their_last_state(museum, small_delta):
    """Edited, withdrawn or drafted while the follower runs: the segment has what is true."""
    rebuild()
    follower = Follower(threshold=5)
    edited = {}

    def meanwhile(report):
        follower.step()
        if report.created == 12:
            first = Work.objects.get(inventory_number="2024.7.0")
            first.title = "Bonnet brodé"
            first.save()
            edited["withdrawn"] = Work.objects.get(inventory_number="2024.7.1")
            edited["withdrawn"].status = Work.Status.WITHDRAWN
            edited["withdrawn"].save()
            Work.objects.filter(inventory_number="2024.7.2").first().delete()

    works_import(records=records(20), batch_size=4, progress=meanwhile)
    WorkFactory(museum=museum, title="Coiffe en brouillon", status=Work.Status.DRAFT)
    assert follower.finish()["installed"]
    assert total("coiffe") == 18  # the edited work is still a "coiffe" (its denomination)
    assert titles("bonnet") == {"Bonnet brodé"}
    assert "Coiffe numéro 1" not in titles("coiffe")
    assert "Coiffe en brouillon" not in titles("coiffe")


def test_change_committed_while_the_segment_is_written_is_not_lost(
    museum, small_delta, monkeypatch
):
    """A change after the follower's last read is above its watermark: the change log keeps
    it, and the searches that follow see it."""
    rebuild()
    follower = Follower(threshold=5)
    works_import(records=records(20), batch_size=5, progress=lambda _r: follower.step())
    write = engine_module.write_directory_atomically

    def write_meanwhile(*args, **kwargs):
        work = Work.objects.get(inventory_number="2024.7.3")
        work.title = "Bonnet de dentelle"
        work.save()
        return write(*args, **kwargs)

    monkeypatch.setattr(engine_module, "write_directory_atomically", write_meanwhile)
    assert follower.finish()["installed"]
    assert SearchChange.objects.filter(id__gt=SearchIndexState.objects.get().watermark).exists()
    assert titles("bonnet") == {"Bonnet de dentelle"}
    assert total("coiffe") == 20


def test_an_import_that_fails_halfway_leaves_the_committed_works_searchable(museum, small_delta):
    rebuild()
    follower = Follower(threshold=5)

    def failing():
        yield from records(12)
        raise RuntimeError("fichier tronqué")

    with pytest.raises(RuntimeError):
        works_import(records=failing(), batch_size=4, progress=lambda _r: follower.step())
    assert follower.finish()["installed"]
    assert total("coiffe") == 12


def test_a_follower_that_fails_leaves_the_index_right(museum, monkeypatch):
    """The follower dies: nothing is installed, the change log still serves every work."""
    rebuild()
    before = SearchIndexState.objects.get().segment
    follower = Follower(threshold=5)

    def broken(*args):
        raise OSError("disque plein")

    monkeypatch.setattr(follower_module, "documents_of", broken)
    with pytest.raises(OSError):
        works_import(records=records(20), batch_size=4, progress=lambda _r: follower.step())
    assert SearchIndexState.objects.get().segment == before
    assert total("coiffe") == 12  # the three batches committed, through the change log
    monkeypatch.undo()
    works_import(records=records(20), batch_size=4)
    assert total("coiffe") == 20


# In a subprocess: the follower as a second process ------------------------------------------

target = kill.target  # a copy of the migrated test database, for the subprocesses


def test_import_works_command_installs_the_segment_of_its_import(target, tmp_path):
    count = 600
    source = tmp_path / "works.txt"
    with source.open("w", encoding="utf-8") as out:
        for notice in kill.generate_notices(count, seed=4, museofile_ids=list(kill.MUSEUMS)):
            out.write(kill.notice_as_text(notice))
    env = kill.child_env(target)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.search.follower_settings",
        MUSEES_TEST_SEARCH_DIR=str(tmp_path / "index"),
    )
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(*args):
        done = subprocess.run([*manage, *args], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    run("shell", "-c", kill.CREATE_MUSEUMS)
    output = run("import_works", str(source), "--format", "joconde-txt", "--batch-size", "50")
    assert f"Index de recherche à jour : {count} œuvres." in output
    assert target.scalar("SELECT documents FROM search_searchindexstate") == count
    assert target.scalar("SELECT watermark FROM search_searchindexstate") == target.scalar(
        "SELECT MAX(id) FROM search_searchchange"
    )
    segment = target.scalar("SELECT segment FROM search_searchindexstate")
    assert (tmp_path / "index" / segment / "meta.json").exists()
    # A new process finds every work in that segment.
    found = run(
        "shell",
        "-c",
        "from musees.search.service import search, SearchQuery\nprint(search(SearchQuery()).total)",
    )
    assert found.split()[-1] == str(count)  # after the shell's own lines
