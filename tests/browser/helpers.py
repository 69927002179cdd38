"""Shared steps of the browser tests."""

from __future__ import annotations

from playwright.sync_api import expect

from matchday.demo.logins import totp_now
from tests import factories


def totp_code(email: str, secret: str = factories.TOTP_SECRET) -> str:
    """A code for ``secret`` that the app accepts now for ``email``, without waiting.

    allauth accepts the codes of the current 30-second period and of the periods just before
    and after it (``MFA_TOTP_TOLERANCE = 1``), each code once per person: it remembers a used
    code in the cache, which the live server thread shares with the test. A test that signs
    the same person in again therefore takes one of the other accepted codes, the one valid
    longest first, as an authenticator app whose clock runs a little ahead would show it. Only
    a person who has used all three waits for the next period (a walk through the whole
    product signing one person in five times waited once, 1 s).
    """
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.core.cache import cache

    device = Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP).first()
    while True:
        now = time.time()
        left = app_settings.TOTP_PERIOD - now % app_settings.TOTP_PERIOD
        # A code of the period before stops being accepted when this period ends: it needs
        # time left to be typed and sent.
        steps = (1, 0, -1) if left > 10 else (1, 0)
        for step in steps:
            code = totp_now(secret, at=now, step=step)
            if device is None or not cache.has_key(TOTP(device)._get_used_cache_key(code)):
                return code
        time.sleep(left + 0.1)


def log_in(page, email: str, password: str = factories.PASSWORD, *, secret=factories.TOTP_SECRET):
    """Log in through the page; answer the two-factor step when it is asked (partners and
    company members made by the factories use ``factories.TOTP_SECRET``)."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        page.locator("input[name=code]").fill(totp_code(email, secret))
        page.locator("input[name=code]").press("Enter")
    expect(page.get_by_role("button", name="Log out")).to_be_visible(timeout=15_000)


def follow_emailed_link(page, to: str, path_fragment: str) -> None:
    """Open the link in the latest email to ``to`` whose path contains ``path_fragment``."""
    import re

    from django.core import mail

    bodies = [m.body for m in mail.outbox if to in m.to]
    assert bodies, f"no email to {to}"
    match = re.search(rf"https?://[^/\s]+({re.escape(path_fragment)}\S*)", bodies[-1])
    assert match, bodies[-1]
    page.goto(match.group(1))


def confirm_email(page, to: str) -> None:
    """Follow the verification link emailed to ``to`` and confirm (signs the person in)."""
    follow_emailed_link(page, to, "/accounts/confirm-email/")
    page.get_by_role("button", name="Confirm").click()


def enrol_totp(page, email: str, password: str) -> str:
    """From the two-factor set-up page (where the app sends those who must use it): confirm
    the password, read the secret shown beside the QR code, enter the app's code, keep the
    recovery codes. Returns the secret."""
    if "/accounts/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(email, secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    return secret


def pick_skill(page, typed: str, label: str) -> None:
    """Type into the skill input, wait for the taxonomy's suggestion and take it.

    The options arrive through htmx into the ``<datalist>``; headless Chromium does not
    expose the native suggestion popup, so we copy the suggested value as a click would.
    """
    field = page.locator("#id_skill")
    field.fill("")
    field.press_sequentially(typed, delay=20)
    option = page.locator(f'#skill-options option[value="{label}"]')
    option.wait_for(state="attached")
    field.fill(option.get_attribute("value"))


def add_skill(page, typed: str, label: str, level: str, years: str) -> None:
    pick_skill(page, typed, label)
    form = page.locator("#skill-add-form")
    form.get_by_label("Level").select_option(level)
    form.get_by_label("Years").fill(years)
    form.get_by_role("button", name="Add skill").click()
    expect(page.locator("#skills .saved")).to_have_text(f"{label} added.")


def add_achievement(page, title: str, problem: str, result: str) -> None:
    form = page.locator("#achievement-add-form")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Problem").fill(problem)
    form.get_by_label("Constraints").fill("Two engineers, one quarter.")
    form.get_by_label("Options considered").fill("Rewrite, tune, or buy.")
    form.get_by_label("Decision").fill("Tune the existing pipeline.")
    form.get_by_label("Measured result").fill(result)
    form.get_by_role("button", name="Add achievement").click()
    expect(page.locator("#achievements .saved")).to_have_text("Achievement added.")


def open_interest_window(
    page, *, name: str, release, shortlisted: str, counts: dict[str, str] | None = None
) -> None:
    """As the signed-in partner: create Match Day ``name`` releasing at ``release`` (its
    interest deadline a day before), run curation, approve its one proposal (naming
    ``shortlisted``) and open the interest window. ``counts``: the audience counts the form
    should show first (``{"count-active": "1"}``)."""
    from datetime import timedelta

    page.goto("/matchdays/new/")
    for element_id, text in (counts or {}).items():
        expect(page.locator(f"#{element_id}")).to_have_text(text)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Release date and time").fill(release.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Interest deadline").fill(
        (release - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_role("button", name="Create Match Day").click()
    expect(page.locator("h1")).to_have_text(name)
    page.get_by_role("button", name="Run curation").click()
    expect(page.locator("#phase")).to_have_text("Human review")
    page.get_by_role("link", name="Review proposals").click()
    proposal = page.locator("#review-table tr.proposal")
    expect(proposal).to_have_count(1)
    expect(proposal).to_contain_text(shortlisted)
    proposal.get_by_role("button", name="Approve").click()
    expect(page.locator("#review-table tr.proposal")).to_contain_text("Approved")
    page.get_by_role("link", name="Back to the Match Day").click()
    page.get_by_role("button", name="Open the interest window").click()
    expect(page.locator("#count-pending")).to_have_text("0")
    page.get_by_role("button", name="Open the interest window").click()
    expect(page.locator("#phase")).to_have_text("Interest window open")
