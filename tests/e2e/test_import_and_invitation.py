"""An administrator imports people from a CSV file; a worker process imports them in the
background while the page follows; each new person opens the invitation from the outbox and
chooses a password. All in Chromium, with real presses and releases."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import press_and_release

pytestmark = pytest.mark.e2e

CSV = (
    "email,name,career_level,org_unit,roles\n"
    "nuria.gil@banco.es,Nuria Gil,junior,Banco Demo/Norte/Bilbao Centro,manager\n"
    "pedro.san@banco.es,Pedro San,mid,Banco Demo/Sur,manager\n"
)


def test_an_import_runs_in_the_background_and_the_invited_choose_their_password(
    page: Page, browser, sign_in, base_url, job_worker
):
    sign_in("admin@demo.cartera")
    page.goto("/admin/import")
    page.get_by_label("Or paste the CSV here").fill(CSV)
    press_and_release(page, page.get_by_role("button", name="Preview"))
    expect(page.get_by_text("2 to create, 0 to update.")).to_be_visible()
    press_and_release(page, page.get_by_role("button", name="Import these 2 users"))
    expect(page).to_have_url(re.compile(r"/jobs/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of users: CSV")
    # The page follows the job by itself (its script, or a refresh) until the worker is done.
    expect(page.locator("#job-result")).to_contain_text("2 users created and invited by email", timeout=30_000)

    page.get_by_role("link", name="See the invitations in the outbox").click()
    # They have no language of their own yet: the bank's (Spanish) is theirs.
    invitation = page.get_by_role("link", name="Tu cuenta de Cartera está lista: elige tu contraseña").first
    expect(invitation).to_be_visible(timeout=15_000)
    invitation.click()
    text = page.locator("pre.outbox-text").inner_text()
    link = re.search(r"http://127\.0\.0\.1:\d+/auth/password/invitation/\S+", text).group(0)

    newcomer = browser.new_context(base_url=base_url, locale="en-GB").new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Choose your password")
    newcomer.get_by_label("New password", exact=True).fill("my own long passphrase")
    newcomer.get_by_label("Repeat the new password").fill("my own long passphrase")
    press_and_release(newcomer, newcomer.get_by_role("button", name="Save my password"))
    expect(newcomer.get_by_role("status").or_(newcomer.locator(".alert-success"))).to_contain_text(
        "Your password is saved"
    )
    newcomer.goto(link)  # once only
    expect(newcomer.get_by_role("alert")).to_contain_text("used already")
    newcomer.context.close()
