"""Helpers of the back-office journeys (test_backoffice_journeys.py): staff accounts, signing in
with two-factor codes computed as an authenticator app does, numbered screenshots, axe-core audits.

Not a conftest: the fixtures of tests/browser/conftest.py stay as they are.
"""

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .conftest import AXE_JS

# Screenshots of each step, to be looked at by a person (the journeys' review).
SHOTS_DIR = Path(os.environ.get("MUSEES_SHOTS_DIR", "/tmp/shots"))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PASSWORD = "Garance et Mistral 1905"


# --- People -------------------------------------------------------------------------------------


@dataclass
class Person:
    """A staff account as its owner knows it: e-mail, password, authenticator secret."""

    email: str
    first_name: str
    password: str = PASSWORD
    totp_secret: str | None = None
    recovery_codes: list[str] = field(default_factory=list)


def staff_person(
    *, email: str, first_name: str, last_name: str, role: str, museums, totp: bool = False
) -> Person:
    """Create an account with a role in each museum (and a TOTP device when `totp`)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from musees.accounts.services import email_address_verified, role_grant, staff_user_ensure

    user, _created = staff_user_ensure(email=email, first_name=first_name, last_name=last_name)
    user.set_password(PASSWORD)
    user.save()
    for museum in museums:
        role_grant(user=user, role=role, museum=museum)
    email_address_verified(user=user)
    person = Person(email=email, first_name=first_name)
    if totp:
        person.totp_secret = generate_totp_secret()
        TOTP.activate(user, person.totp_secret)
    return person


# --- Two-factor codes ---------------------------------------------------------------------------

_last_counter: dict[str, int] = {}


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now (allauth's own computation).

    allauth refuses a code already used in the same period, as it should: like a person, wait for
    the next code when this secret's current one has been typed already.
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    counter = int(time.time()) // period
    if _last_counter.get(secret) == counter:
        time.sleep((counter + 1) * period - time.time() + 0.2)
        counter = int(time.time()) // period
    _last_counter[secret] = counter
    return format_hotp_value(hotp_value(secret, counter))


def log_in(page, person: Person, shots=None, name: str = "connexion"):
    """Sign in through /compte/login/ as the person would (e-mail, password, then the code)."""
    page.get_by_label("Adresse e-mail").fill(person.email)
    page.get_by_label("Mot de passe").fill(person.password)
    if shots:
        shots(page, name)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    if person.totp_secret and "/2fa/authenticate/" in page.url:
        page.get_by_label("Code").fill(totp_code(person.totp_secret))
        if shots:
            shots(page, f"{name}-code")
        page.get_by_role("button", name="Connexion").click()
        page.wait_for_load_state()


# --- Screenshots --------------------------------------------------------------------------------


class Shots:
    """Numbered screenshots of one journey: /tmp/shots/<journey>-NN-<name>.png.

    What a person sees: the window (1280 × 900 in these tests) where the step happens, scrolled
    by the test to the part that matters. `whole=True` takes the whole page instead (Wagtail's
    admin scrolls inside <main>: the window is made as tall as that content for the picture).
    """

    def __init__(self, journey: str):
        self.journey = journey
        self.count = 0
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        for old in SHOTS_DIR.glob(f"{journey}-*.png"):
            old.unlink()

    def __call__(self, page, name: str, whole: bool = False) -> Path:
        self.count += 1
        target = SHOTS_DIR / f"{self.journey}-{self.count:02d}-{name}.png"
        if not whole:
            page.screenshot(path=str(target))
            return target
        size = page.viewport_size
        inner = page.evaluate(
            "() => { const m = document.querySelector('main#main');"
            " return m && m.scrollHeight > m.clientHeight ? m.scrollHeight : 0; }"
        )
        if inner:
            page.set_viewport_size({"width": size["width"], "height": min(inner, 4000)})
            page.screenshot(path=str(target))
            page.set_viewport_size(size)
        else:
            page.screenshot(path=str(target), full_page=True)
        return target


# --- axe-core -----------------------------------------------------------------------------------


class AxeAudit:
    """Runs axe-core (WCAG 2.1 A/AA and best practices) on pages and keeps what it finds.

    axe is evaluated in the page through the DevTools protocol, which the Content-Security-Policy
    does not govern: the pages are audited as users get them, without `bypass_csp`.
    """

    def __init__(self):
        self.source = AXE_JS.read_text(encoding="utf-8")
        self.found: dict[str, list[dict]] = {}

    def __call__(self, page, name: str, skip_rules: tuple[str, ...] = ()):
        """Audit the page; `skip_rules`: rules a caller has shown to fail in Wagtail's own
        markup on this screen (each with its reason where it is called)."""
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.source)
        violations = page.evaluate(
            """async ([tags, skip]) => {
                const rules = Object.fromEntries(skip.map(id => [id, {enabled: false}]));
                const result = await axe.run(
                    document, {runOnly: {type: 'tag', values: tags}, rules});
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map(n => n.target.join(' ')),
                    html: v.nodes.slice(0, 2).map(n => n.html.slice(0, 160)),
                }));
            }""",
            [AXE_TAGS, list(skip_rules)],
        )
        if violations:
            self.found[f"{name} ({page.url})"] = violations
        return violations

    def describe(self) -> str:
        lines = []
        for where, violations in self.found.items():
            lines.append(where)
            for v in violations:
                targets = "; ".join(v["targets"][:4])
                more = f" (+{len(v['targets']) - 4})" if len(v["targets"]) > 4 else ""
                lines.append(f"  - {v['id']} [{v['impact']}] {v['help']}: {targets}{more}")
        return "\n".join(lines)

    def assert_clean(self):
        assert not self.found, "axe-core a trouvé des violations :\n" + self.describe()
