"""The back office as its people use it, in Chromium (issue 5, usability check).

- A new rédacteur: the responsable invites her from the Équipe screen, she opens the e-mail's
  link, creates her account, sets up two-factor (the code computed from the secret the page
  shows, as an authenticator app would), edits her museum's opening-hours note and adds a work
  with an image, both submitted for review; the responsable approves them from the dashboard and
  both are public.
- An import of a real Joconde CSV extract with one row made bad, followed to its report.
- axe-core on the project's own admin screens.

Every step is saved as a screenshot in /tmp/shots/ (MUSEES_SHOTS_DIR) for a person to review.

Data: the real demo museums (Musée du Vieux Nîmes, M0458) and real files of tests/data: the
Joconde costume extract (tests/data/joconde/README.md) and Ogata Kōrin's *Rough Waves* (The
Metropolitan Museum of Art, CC0; tests/data/images/README.md), titled as test data.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from .backoffice import PASSWORD, AxeAudit, Person, Shots, log_in, staff_person, totp_code

DATA = Path(__file__).resolve().parents[1] / "data"
IMAGE = DATA / "images" / "met_44918_korin_rough-waves.jpg"
JOCONDE_CSV = DATA / "joconde" / "joconde_costumes_occitanie_subset.csv"
MUSEOFILE_ID = "M0458"  # Musée du Vieux Nîmes: real museum, 34 real Joconde records
TEST_INVENTORY = "TEST 2026"  # inventory numbers of the works these tests add (then remove)
TEST_DENOMINATION = "paravent (essai navigateur)"


@pytest.fixture(scope="module")
def museum(live_site, django_db_blocker):
    from musees.museums.models import MuseumPage

    with django_db_blocker.unblock():
        return MuseumPage.objects.live().get(museofile_id=MUSEOFILE_ID)


@pytest.fixture(scope="module", autouse=True)
def _remove_what_the_tests_add(museum, django_db_blocker):
    """The works these tests add, their images and their new denomination go at the end (the
    other browser tests read the public site). Accounts and the museum page's note stay."""
    yield
    from django.db import connection

    from musees.catalogue.models import Denomination, Work

    with django_db_blocker.unblock():
        works = Work.objects.filter(museum=museum, inventory_number__startswith=TEST_INVENTORY)
        images = [row.image for work in works for row in work.images.all()]
        works.delete()
        for image in images:
            image.delete()
        Denomination.objects.filter(label=TEST_DENOMINATION).delete()
        # Module fixtures get a database connection of their own here (set up before the
        # browser starts): closed, or PostgreSQL refuses to drop the test database at the end.
        connection.close()


@pytest.fixture(scope="module")
def responsable(museum, django_db_blocker) -> Person:
    """The museum's responsable, two-factor already set up on her phone."""
    with django_db_blocker.unblock():
        return staff_person(
            email="claire.roux@example.org",
            first_name="Claire",
            last_name="Roux",
            role="responsable",
            museums=[museum],
            totp=True,
        )


def sidebar(page):
    return page.get_by_role("navigation", name="Menu principal")


def awaiting_review(page):
    return page.locator("#awaiting-review-section")


# --- 1. A new rédacteur ----------------------------------------------------------------------


def test_a_new_redacteur_joins_edits_and_the_responsable_publishes(
    open_page, settings, live_site, museum, responsable
):
    from musees.catalogue.models import Work

    settings.MFA_REQUIRED_FOR_STAFF = True
    settings.WAGTAILADMIN_BASE_URL = live_site.url  # the e-mails' links lead to this server
    shots, axe = Shots("journey"), AxeAudit()
    newcomer = Person(email="lea.martin@example.org", first_name="Léa")
    hours_note = "Dernière entrée à 17 h 30. Fermé le matin du 1er mai."
    work_title = "Vagues déferlantes (œuvre de test)"
    inventory = f"{TEST_INVENTORY}.1"
    alt_text = "Vagues bleues et or sur un paravent à deux feuilles"
    denomination = TEST_DENOMINATION

    # The responsable invites a colleague from the Équipe screen.
    desk = open_page("/admin/")
    assert "/compte/login/" in desk.url
    log_in(desk, responsable, shots, "connexion-responsable")
    expect(desk.get_by_role("heading", name="Vos œuvres et votre musée")).to_be_visible()
    sidebar(desk).get_by_role("link", name="Équipe").click()
    expect(desk.get_by_role("heading", name="Personnes")).to_be_visible()
    shots(desk, "equipe")
    desk.get_by_role("link", name="Inviter une personne").click()
    desk.get_by_label("Adresse e-mail").fill(newcomer.email)
    desk.get_by_label("rédacteur", exact=True).check()
    shots(desk, "invitation-formulaire")
    desk.get_by_role("button", name="Envoyer l'invitation").click()
    expect(desk.get_by_text(f"Invitation envoyée à {newcomer.email} (rédacteur)")).to_be_visible()
    pending = desk.get_by_role("table", name="Invitations envoyées, pas encore acceptées")
    expect(pending.get_by_role("row").filter(has_text=newcomer.email)).to_have_count(1)
    shots(desk, "invitation-envoyee")

    [invitation] = [m for m in mail.outbox if m.to == [newcomer.email]]
    assert museum.title in invitation.subject
    link = re.search(r"https?://\S+/compte/invitation/\S+/", invitation.body).group(0)
    assert link.startswith(live_site.url)

    # The new rédacteur opens the link, creates her account and sets up two-factor.
    home = open_page(link)
    expect(home.get_by_role("heading", name="Créer votre compte")).to_be_visible()
    expect(home.get_by_text(f"l'équipe de {museum.title} comme rédacteur")).to_be_visible()
    axe(home, "invitation")
    home.get_by_label("Prénom").fill(newcomer.first_name)
    home.get_by_label("Nom", exact=True).fill("Martin")
    home.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    home.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    shots(home, "creer-son-compte")
    home.get_by_role("button", name="Créer mon compte").click()
    home.wait_for_load_state()
    assert "/compte/2fa/totp/activate/" in home.url, "la double authentification est exigée"
    expect(home.get_by_text("activez d'abord la double authentification")).to_be_visible()
    axe(home, "activer-2fa")
    newcomer.totp_secret = home.get_by_label("Secret d'authentification").input_value()
    home.get_by_label("Code de l'authentificateur").fill(totp_code(newcomer.totp_secret))
    shots(home, "activer-2fa")
    home.get_by_role("button", name="Activer").click()
    # Known problem (see the report): before showing the recovery codes, allauth asks again for
    # the password she typed a minute ago (musees/accounts/adapter.py spares only the set-up).
    expect(home.get_by_role("heading", name="Confirmer l'accès")).to_be_visible()
    shots(home, "mot-de-passe-redemande")
    home.get_by_label("Mot de passe").fill(PASSWORD)
    home.get_by_role("button", name="Confirmer").click()
    codes = home.get_by_label("Codes inutilisés").input_value().split()
    assert len(codes) == 10 and all(code.isdigit() for code in codes)
    newcomer.recovery_codes = codes  # kept, as the page asks
    axe(home, "codes-de-secours")
    shots(home, "codes-de-secours")
    home.get_by_role("link", name="Continuer vers l'administration du site").click()
    expect(home.get_by_role("heading", name="Vos œuvres et votre musée")).to_be_visible()
    shots(home, "tableau-de-bord-redactrice")

    # She updates the museum page's opening-hours note and submits it for review.
    home.get_by_role("link", name=re.compile(r"^1 Page")).click()
    home.locator("header").get_by_role("button", name="Actions").click()
    home.get_by_role("link", name="Modifier", exact=True).click()
    home.get_by_role("tab", name="Visiter").click()
    note = home.get_by_role("textbox", name="Précisions sur les horaires")
    note.fill(hours_note)
    note.scroll_into_view_if_needed()
    shots(home, "page-musee-horaires")
    home.get_by_role("button", name="Plus d'actions").click()
    home.get_by_role("button", name="Soumettre à Relecture avant publication").click()
    expect(home.get_by_text(f"La page « {museum.title} » a été soumise")).to_be_visible()
    shots(home, "page-musee-soumise")

    # She adds a work, its denomination and an image (the drop zone's file button), and submits.
    sidebar(home).get_by_role("link", name="Œuvres").click()
    home.get_by_role("link", name="Ajouter un(e) œuvre").first.click()
    expect(home.get_by_role("combobox", name="Musée")).to_have_value(str(museum.pk))
    home.get_by_role("textbox", name="Titre").fill(work_title)
    home.get_by_role("textbox", name="Numéro d'inventaire").fill(inventory)
    denominations = home.get_by_role("combobox", name="Dénominations")
    denominations.fill(denomination)
    home.get_by_role("option", name=f"Ajouter « {denomination} » (nouveau terme)").click()
    expect(home.get_by_role("button", name=f"Retirer « {denomination} »")).to_be_visible()
    home.get_by_role("textbox", name="Titre").scroll_into_view_if_needed()
    shots(home, "oeuvre-identification")
    drop = home.locator("[data-image-drop]")
    drop.scroll_into_view_if_needed()
    with home.expect_file_chooser() as chooser:
        drop.get_by_role("button", name="Choisir des fichiers").click()
    chooser.value.set_files(IMAGE)
    expect(drop.get_by_role("status")).to_contain_text("est ajoutée")
    alt = home.get_by_role("textbox", name="Texte alternatif")
    expect(alt).to_be_focused()
    alt.fill(alt_text)
    home.get_by_role("textbox", name="Mention de copyright").fill(
        "The Metropolitan Museum of Art, New York"
    )
    home.get_by_role("combobox", name="Licence").select_option(label="CC0 (domaine public)")
    alt.scroll_into_view_if_needed()
    shots(home, "oeuvre-image")
    home.get_by_role("button", name="Plus d'actions").click()
    home.get_by_role("button", name="Soumettre à Relecture avant publication").click()
    submitted = home.get_by_role("status").filter(has_text=f"« {work_title} » créé(e) et soumis(e)")
    expect(submitted).to_be_visible()
    shots(home, "oeuvre-soumise")

    # She signs out.
    account = home.locator("#wagtail-sidebar")
    account.get_by_role("button", name=newcomer.first_name).click()
    account.get_by_text("Se déconnecter").click()
    expect(home.get_by_role("heading", name="Se connecter")).to_be_visible()
    shots(home, "deconnexion")

    # The responsable was told by e-mail, and approves both from her dashboard.
    review_mails = [m for m in mail.outbox if m.to == [responsable.email] and "relire" in m.subject]
    assert len(review_mails) == 2
    desk = open_page("/admin/")
    log_in(desk, responsable)
    waiting = awaiting_review(desk)
    expect(waiting.get_by_role("link", name=museum.title, exact=True)).to_be_visible()
    expect(waiting.get_by_role("link", name=work_title, exact=True)).to_be_visible()
    waiting.scroll_into_view_if_needed()
    shots(desk, "relecture-en-attente")
    for title in (museum.title, work_title):
        row = (
            awaiting_review(desk)
            .get_by_role("row")
            .filter(has=desk.get_by_role("link", name=title, exact=True))
        )
        row.get_by_role("button", name="Actions").click()
        row.get_by_role("button", name="Approuver et publier").click()
        desk.wait_for_load_state()
        expect(awaiting_review(desk).get_by_role("link", name=title, exact=True)).to_have_count(0)
    shots(desk, "relecture-approuvee")

    # Both are public.
    work = Work.objects.get(museum=museum, inventory_number=inventory)
    public = open_page(work.get_absolute_url())
    expect(public.get_by_role("heading", level=1)).to_have_text(work_title)
    expect(public.get_by_role("main")).to_contain_text(denomination)
    # The image, in the deep-zoom viewer once its tiles are there, with its credit.
    expect(public.get_by_role("application", name=f"Image zoomable : {alt_text}")).to_be_visible()
    public.wait_for_selector("[data-deepzoom].deepzoom--ready")
    expect(public.get_by_role("figure")).to_contain_text("The Metropolitan Museum of Art")
    shots(public, "oeuvre-publique")
    public.goto(museum.url)
    expect(public.get_by_text(hours_note)).to_be_visible()
    public.get_by_text(hours_note).scroll_into_view_if_needed()
    shots(public, "musee-public")

    axe.assert_clean()


# --- 2. An import with a bad row ---------------------------------------------------------------


@pytest.fixture
def joconde_extract(tmp_path, museum, django_db_blocker):
    """Five real records of the museum (the costume extract, byte for byte) in a CSV file, the
    fifth with its inventory number removed; and a museum that has not imported the first four.

    The demo data already holds these records (load_demo_data imports the extract): their works
    are deleted here so that the import creates them again, as in a museum importing them first.
    Returns the path and the inventory numbers of the four good records.
    """
    from musees.catalogue.models import Work

    lines = JOCONDE_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    header, rows = lines[0], [line for line in lines[1:] if f",{MUSEOFILE_ID}," in line][:5]
    inventories = [next(csv.reader([row]))[8] for row in rows]
    bad = rows[4]
    assert bad.count(f",{inventories[4]},") == 1
    rows[4] = bad.replace(f",{inventories[4]},", ",,", 1)  # the row made bad: no INV
    path = tmp_path / "export-costumes-vieux-nimes.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    with django_db_blocker.unblock():
        Work.objects.filter(museum=museum, inventory_number__in=inventories[:4]).delete()
    return path, inventories[:4]


def test_an_import_with_a_bad_row_keeps_the_good_ones_and_reports_the_bad_one(
    open_page, settings, museum, joconde_extract
):
    from django.core.management import call_command

    from musees.catalogue.models import Work

    # Imports go to the database queue, as in production; the worker runs when the test says.
    settings.TASKS = {
        **settings.TASKS,
        "imports": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }
    path, created = joconde_extract
    documentalist = staff_person(
        email="marc.blanc@example.org",
        first_name="Marc",
        last_name="Blanc",
        role="redacteur",
        museums=[museum],
    )
    shots, axe = Shots("import"), AxeAudit()

    page = open_page("/admin/")
    log_in(page, documentalist)
    sidebar(page).get_by_role("link", name="Importer des notices").click()
    expect(page.get_by_role("combobox", name="Musée")).to_have_value(str(museum.pk))
    axe(page, "formulaire")
    page.get_by_label("Fichier").set_input_files(path)
    page.get_by_label("Joconde, CSV (données ouvertes)").check()
    expect(page.get_by_label("Souple", exact=False)).to_be_checked()
    shots(page, "formulaire")
    page.get_by_role("button", name="Lancer l'import").click()

    # Queued: the bar at 0 %, the live region says the import waits.
    progress = page.get_by_role("progressbar", name="Avancement")
    live_region = page.locator("[data-import-progress]").get_by_role("status")
    expect(progress).to_have_attribute("value", "0")
    expect(live_region).to_have_text("En attente du traitement…")
    axe(page, "en-attente")
    shots(page, "en-attente")

    call_command(
        "db_worker", "--backend", "imports", "--batch", "--no-startup-delay", "--no-reload"
    )

    # The page follows the job by itself, then shows the report.
    expect(page.get_by_role("heading", name="Résultat")).to_be_visible(timeout=15_000)
    expect(progress).to_have_attribute("value", "100")
    expect(live_region).to_have_text(
        "Import terminé (créées : 4, mises à jour : 0, inchangées : 0, rejetées : 1)."
    )
    counts = page.get_by_role("table", name="Nombre de notices par résultat")
    expect(counts.get_by_role("row", name="Créées")).to_contain_text("4")
    expect(counts.get_by_role("row", name="Rejetées")).to_contain_text("1")
    rejected = page.get_by_role("table", name="Notices rejetées, avec leur ligne, leur champ")
    expect(rejected.get_by_role("row")).to_have_count(2)  # the header and the bad record
    expect(rejected.get_by_role("row").nth(1)).to_have_text(
        re.compile(r"^\s*5\s*6\s*INV\s*numéro d'inventaire \(INV\) manquant\s*$")
    )
    axe(page, "rapport")
    shots(page, "rapport")
    rejected.scroll_into_view_if_needed()
    shots(page, "rapport-rejets")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le rapport (CSV)").click()
    report = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8"))))
    assert download.value.suggested_filename.startswith("rapport-import-")
    assert [(r["type"], r["notice"], r["ligne"], r["champ"], r["motif"]) for r in report] == [
        ("rejet", "5", "6", "INV", "numéro d'inventaire (INV) manquant")
    ]
    assert sorted(
        Work.objects.filter(museum=museum, inventory_number__in=created).values_list(
            "inventory_number", flat=True
        )
    ) == sorted(created)
    axe.assert_clean()


# --- The version check and Wagtail's autosave ------------------------------------------------


def test_saving_a_work_after_its_autosave_is_not_refused_as_a_conflict(
    open_page, museum, django_db_blocker, settings
):
    """The version check (musees/accounts/scoping.py) refuses somebody else's newer version, not
    the person's own autosave. Autosave is off in the project's settings (Wagtail 7.4 saves new
    inline rows twice when a save meets an autosave in flight): on here, as a site may turn it
    on."""
    from musees.catalogue.models import Work

    settings.WAGTAIL_AUTOSAVE_INTERVAL = 500

    with django_db_blocker.unblock():
        editor = staff_person(
            email="paul.roche@example.org",
            first_name="Paul",
            last_name="Roche",
            role="redacteur",
            museums=[museum],
        )
        work = Work.objects.create(
            museum=museum,
            inventory_number=f"{TEST_INVENTORY}.2",
            status=Work.Status.DRAFT,
            title="Gilet d'homme (notice d'essai)",
        )
        work.save_revision()  # a work edited before, as most are
    page = open_page("/admin/")
    log_in(page, editor)
    page.goto(f"/admin/oeuvres/edit/{work.pk}/")
    # A person reads the form before typing (Wagtail watches for changes 2 s after the load).
    page.wait_for_timeout(3000)
    page.get_by_role("textbox", name="Appellation").fill("gilet d'homme à rayures")
    expect(page.get_by_text("Enregistré", exact=True)).to_be_visible()  # the autosave's mark
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    messages = page.get_by_role("status")
    expect(messages.filter(has_text="« Gilet d'homme (notice d'essai) » modifié")).to_be_visible()
    expect(messages.filter(has_text="a enregistré une version plus récente")).to_have_count(0)


# --- 3. axe-core on the project's admin screens --------------------------------------------------


def test_the_projects_admin_screens_have_no_accessibility_violation(
    open_page, museum, django_db_blocker
):
    """Équipe (index, team, invitation, review choice), Journal, works listing and form, and the
    dashboard with the works panel, for a responsable of two museums (the Équipe index lists
    them). The import screens are audited in the import journey, the invitation and two-factor
    pages in the rédacteur's."""
    from musees.catalogue.models import Work
    from musees.museums.models import MuseumPage

    with django_db_blocker.unblock():
        other = MuseumPage.objects.live().exclude(pk=museum.pk).order_by("path").first()
        manager = staff_person(
            email="anne.vidal@example.org",
            first_name="Anne",
            last_name="Vidal",
            role="responsable",
            museums=[museum, other],
        )
        work = Work.objects.filter(museum=museum).order_by("pk").first()
    shots, axe = Shots("axe"), AxeAudit()
    page = open_page("/admin/")
    log_in(page, manager)
    # Wagtail's snippet edit template (wagtailsnippets/snippets/edit.html) gives its header no
    # <h1>, not even the hidden one of its other screens: axe's best-practice rule
    # page-has-heading-one fails there on Wagtail's markup, so it is skipped on that screen only.
    wagtail_edit_header = ("page-has-heading-one",)
    screens = [
        ("equipe", "/admin/equipe/", ()),
        ("equipe-musee", f"/admin/equipe/musee/{museum.pk}/", ()),
        ("invitation", f"/admin/equipe/musee/{museum.pk}/inviter/", ()),
        ("relecture", f"/admin/equipe/musee/{museum.pk}/relecture/", ()),
        ("journal", "/admin/journal/", ()),
        ("oeuvres", "/admin/oeuvres/", ()),
        ("oeuvre", f"/admin/oeuvres/edit/{work.pk}/", wagtail_edit_header),
        # Last: leaving the edit form releases its editing session while the test still runs.
        ("tableau-de-bord", "/admin/", ()),
    ]
    for name, path, skip_rules in screens:
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        shots(page, name)
        axe(page, name, skip_rules=skip_rules)
    axe.assert_clean()
