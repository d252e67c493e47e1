"""The work form of the admin in Chromium, as a documentalist uses it: with the keyboard only, a
denomination chosen with the combobox, a new technique, an image added through the drop zone's
file button (focus on its alternative text); then files dropped on the zone (a text refused, an
image taken); saved; axe-core finds no violation in the form.

The live server holds the real demo data. This module adds a rédacteur of the first museum that
has works and ONE draft work of that museum (a draft is not public: the other browser tests,
which read the public site, do not see it); everything it adds is deleted at the end. The
images are real public-domain ones (Art Institute of Chicago, *Head of an Apostle*, and The
Metropolitan Museum of Art, *Little Ida*, both CC0), copied from ../shared/data/real/images into
tests/data/images (sources in its README.md).
"""

import base64
import time
from pathlib import Path

import pytest

from .conftest import AXE_JS, DESKTOP
from .test_accessibility import RULE_SETS, describe

IMAGE = Path(__file__).resolve().parents[1] / "data" / "images" / "thumb_artic_50909.jpg"
# A second real image (The Metropolitan Museum of Art, *Little Ida*, CC0), dropped on the zone.
DROPPED = IMAGE.with_name("thumb_met_10360.jpg")
SHOTS = Path("/tmp/shots")
NEW_TECHNIQUE = "Dorure à la feuille (essai navigateur)"
INVENTORY = "TEST/FORMULAIRE 1"


def _wait_until(page, condition, timeout=10.0):
    """Poll a condition (as the other browser tests: no eval)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "délai dépassé"
        page.wait_for_timeout(50)


def axe_violations(page, selector: str) -> list[dict]:
    """axe-core on one part of the page (the work form; Wagtail's header is not ours)."""
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async ([selector, tags]) => await axe.run(document.querySelector(selector),"
        " {runOnly: {type: 'tag', values: tags}})",
        [selector, RULE_SETS],
    )
    return result["violations"]


def drop_files(page, selector: str, files: list[tuple[str, str, bytes]]):
    """Drop files on an element, as a file manager does (dragover, then drop)."""
    payload = [
        {"name": name, "type": kind, "data": base64.b64encode(data).decode()}
        for name, kind, data in files
    ]
    page.evaluate(
        """([selector, files]) => {
            const transfer = new DataTransfer();
            for (const file of files) {
                const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
                transfer.items.add(new File([bytes], file.name, {type: file.type}));
            }
            const zone = document.querySelector(selector);
            for (const type of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(type, {
                    dataTransfer: transfer, bubbles: true, cancelable: true,
                }));
            }
        }""",
        [selector, payload],
    )


def wait_for_autosave(page):
    """Until Wagtail's autosave has nothing in flight (state not "saving" for 1.5 s), as a person
    pauses before "Enregistrer": in Wagtail 7.4, a save sent while an autosave is in flight posts
    the new image rows without the ids that autosave gave them, and the rows are doubled."""
    form = page.locator("#w-editor-form")
    quiet = 0
    deadline = time.monotonic() + 20
    while quiet < 5:
        assert time.monotonic() < deadline, "l'enregistrement automatique ne s'arrête pas"
        saving = form.get_attribute("data-w-autosave-state-value") == "saving"
        quiet = 0 if saving else quiet + 1
        page.wait_for_timeout(300)


def focused(page, expression="id"):
    return page.evaluate(f"() => document.activeElement && document.activeElement.{expression}")


@pytest.fixture(scope="module")
def draft(demo_site, django_db_blocker):
    """A rédacteur's session key and a draft work of their museum; removed afterwards."""
    from django.test import Client
    from wagtail.images import get_image_model

    from musees.accounts.services import role_grant
    from musees.catalogue.models import Denomination, Technique, Work
    from musees.museums.models import MuseumPage
    from tests.accounts.people import make_user

    with django_db_blocker.unblock():
        museum = MuseumPage.objects.filter(works__isnull=False).order_by("path").first()
        user = role_grant(
            user=make_user("documentaliste@musee-test.fr"), role="redacteur", museum=museum
        )
        work = Work.objects.create(
            museum=museum,
            inventory_number=INVENTORY,
            status=Work.Status.DRAFT,
            title="Gilet d'homme (notice d'essai)",
        )
        denomination = Denomination.objects.filter(works__isnull=False).order_by("label").first()
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
    yield {"work": work, "session": session, "denomination": denomination.label}
    with django_db_blocker.unblock():
        images = [row.image for row in work.images.all()]
        Work.objects.filter(pk=work.pk).delete()
        for image in images:
            image.delete()
        get_image_model().objects.filter(uploaded_by_user=user).delete()
        Technique.objects.filter(label=NEW_TECHNIQUE).delete()
        user.delete()


def open_form(open_page, live_site, draft):
    page = open_page(None, width=DESKTOP, bypass_csp=True)
    page.context.add_cookies(
        [{"name": "sessionid", "value": draft["session"], "url": live_site.url}]
    )
    page.goto(f"/admin/oeuvres/edit/{draft['work'].pk}/")
    page.wait_for_selector(".vocabulary__input")
    return page


def test_keyboard_only_vocabularies_and_an_image_then_save(
    open_page, live_site, draft, django_db_blocker
):
    page = open_form(open_page, live_site, draft)
    # File dialogs are caught from the start (Chromium opens one only on a user's key or click).
    file_choosers = []
    page.on("filechooser", lambda chooser: file_choosers.append(chooser))
    wanted = draft["denomination"]

    # 1. A denomination, from the keyboard: a few letters, ArrowDown, Enter.
    box = page.locator("#id_denominations")
    assert box.get_attribute("role") == "combobox"
    box.focus()
    page.keyboard.type(wanted[:4])
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    listbox.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    status = page.locator("[data-vocabulary] .vocabulary__status").first
    _wait_until(page, lambda: "proposition" in status.text_content())
    labels = [option.text_content() for option in listbox.locator("[role=option]").all()]
    assert wanted in labels
    for _ in range(labels.index(wanted) + 1):
        page.keyboard.press("ArrowDown")
    active = page.locator("#" + box.get_attribute("aria-activedescendant"))
    assert active.text_content() == wanted
    assert active.get_attribute("aria-selected") == "true"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "work-form-combobox-1280.png"))
    page.keyboard.press("Enter")
    chips = page.locator("#id_denominations-chips .vocabulary__chip-label")
    _wait_until(page, lambda: wanted in chips.all_text_contents())
    assert box.get_attribute("aria-expanded") == "false"
    assert focused(page) == "id_denominations"
    assert page.locator("#id_denominations-value").input_value() == wanted
    remove = page.get_by_role("button", name=f"Retirer « {wanted} »")
    assert remove.count() == 1

    # 2. A technique the vocabulary does not have: offered as new, created when saved.
    technique = page.locator("#id_techniques")
    technique.focus()
    page.keyboard.type(NEW_TECHNIQUE)
    create = page.locator(
        f"#{technique.get_attribute('aria-controls')} .vocabulary__option--create"
    )
    create.wait_for(state="visible")
    assert create.text_content() == f"Ajouter « {NEW_TECHNIQUE} » (nouveau terme)"
    page.keyboard.press("ArrowUp")  # the last option: the new term
    page.keyboard.press("Enter")
    new_chip = page.locator("#id_techniques-chips .vocabulary__chip--new")
    new_chip.wait_for()
    assert NEW_TECHNIQUE in new_chip.text_content()
    assert "nouveau" in new_chip.text_content()
    page.wait_for_timeout(800)  # Wagtail's smooth scrolling ends
    page.screenshot(path=str(SHOTS / "work-form-new-term-1280.png"))

    # A domain is chosen from the list: a name it does not have is said and shown, not added.
    domain = page.locator("#id_domains")
    domain.focus()
    page.keyboard.type("Domaine imaginaire")
    page.keyboard.press("Enter")
    message = page.locator("[data-vocabulary]:has(#id_domains) .vocabulary__message")
    message.wait_for()
    assert message.text_content() == (
        "« Domaine imaginaire » n'est pas un domaine de la liste : choisissez parmi les "
        "propositions."
    )
    assert page.locator("#id_domains-value").input_value() == ""
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    technique.focus()

    # Escape closes the list and keeps the focus.
    page.keyboard.type("céram")
    page.locator("#" + technique.get_attribute("aria-controls")).wait_for(state="visible")
    page.keyboard.press("Escape")
    assert technique.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Escape")
    assert technique.input_value() == ""

    # 3. An image through the drop zone's button (a file chooser): a new row, focus on its alt.
    zone = page.locator("[data-image-drop]")
    zone.scroll_into_view_if_needed()
    assert zone.is_visible()
    assert "Déposez des images ici, ou choisissez des fichiers" in zone.text_content()
    chooser_button = zone.get_by_role("button", name="Choisir des fichiers")
    chooser_button.focus()
    assert focused(page, "textContent").strip() == "Choisir des fichiers"
    page.keyboard.press("Enter")
    _wait_until(page, lambda: file_choosers)
    file_choosers[0].set_files(str(IMAGE))
    page.locator("#id_images-0-alt_text").wait_for()
    _wait_until(page, lambda: focused(page) == "id_images-0-alt_text")
    assert page.locator("#id_images-0-image").input_value()
    status = zone.locator("[role=status]")
    _wait_until(page, lambda: "est ajoutée" in status.text_content())
    page.keyboard.type("Tête d'apôtre sculptée, barbe et cheveux bouclés")
    page.locator("#id_images-0-copyright_line").fill("The Art Institute of Chicago")
    page.locator("#id_images-0-licence").select_option("cc0")

    # 4. A text file and an image dropped together: the text is refused (said and listed),
    # the image is a second row, with the focus on its alternative text.
    drop_files(
        page,
        "[data-image-drop]",
        [
            ("notes.txt", "text/plain", b"Inventaire 1852"),
            (DROPPED.name, "image/jpeg", DROPPED.read_bytes()),
        ],
    )
    page.locator("#id_images-1-alt_text").wait_for()
    _wait_until(page, lambda: focused(page) == "id_images-1-alt_text")
    errors = zone.locator("[data-image-drop-errors] li")
    assert errors.count() == 1
    assert errors.first.text_content().startswith("« notes.txt » n'est pas ajoutée : Téléversez")
    assert "thumb_met_10360.jpg" in status.text_content()
    assert zone.locator("[data-image-drop-errors]").get_attribute("aria-live") == "assertive"
    assert page.locator("#id_images-2-alt_text").count() == 0
    # The refusal is a 400 answer, which the page watcher records: expected here, once.
    refusals = [item for item in open_page.problems.items if "/admin/oeuvres/images/depot/" in item]
    assert len(refusals) == 2  # the HTTP status and Chromium's console line about it
    open_page.problems.items[:] = [
        item for item in open_page.problems.items if item not in refusals
    ]
    page.keyboard.type("Statue en marbre d'une fillette tenant un chaton")
    page.locator("#id_images-1-copyright_line").fill("The Metropolitan Museum of Art")

    # axe-core on the form as it is now (suggestions closed, two image rows, one refusal).
    page.locator("#id_denominations").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "work-form-vocabularies-1280.png"))
    zone.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "work-form-images-1280.png"))
    violations = axe_violations(page, "#w-editor-form")
    assert not violations, f"axe-core sur le formulaire d'œuvre :\n{describe(violations)}"

    # 5. Save the draft: the terms and the images are on the work.
    wait_for_autosave(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le brouillon").click()
    from musees.catalogue.models import Technique, Work

    with django_db_blocker.unblock():
        work = Work.objects.get(pk=draft["work"].pk)
        assert [d.label for d in work.denominations.all()] == [wanted]
        assert [t.label for t in work.techniques.all()] == [NEW_TECHNIQUE]
        assert Technique.objects.filter(label=NEW_TECHNIQUE).count() == 1
        rows = list(work.images.order_by("position"))
        assert [row.alt_text for row in rows] == [
            "Tête d'apôtre sculptée, barbe et cheveux bouclés",
            "Statue en marbre d'une fillette tenant un chaton",
        ]
        assert {row.image.collection_id for row in rows} == {work.museum.collection_id}
