"""Take the screenshots in docs/screenshots/ from a running demo.

    make demo                                  # in one terminal
    .venv/bin/python scripts/screenshots.py    # in another

Logs in as the demo's board member and saves full-page PNGs of the landing page, the
dashboard, the people page, the organisation settings, the list of reports, the result
per building, financial independence, the movements of funds and the buildings
(1280 pixels wide), and of the dashboard on a phone-sized screen (390 x 844). Uses Debian's chromium through
Playwright; it never downloads a browser.
"""

from __future__ import annotations

import argparse
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page, ViewportSize, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
DEMO_EMAIL = "bestuur@demo.example"
DEMO_PASSWORD = "wijkdemo-2026"  # noqa: S105 - the demo's printed password


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--email", default=DEMO_EMAIL)
    parser.add_argument("--password", default=DEMO_PASSWORD)
    return parser.parse_args(argv)


def server_answers(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/health/", timeout=5) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def log_in(page: Page, email: str, password: str) -> str:
    """Log in through the form; return the path of the organisation's dashboard."""
    page.goto("/account/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("#login-button")
    if "/account/2fa/" in page.url:
        sys.exit(
            f"Logging in stopped at {page.url}: start the demo with WIJK_REQUIRE_2FA=0 "
            "(as `make demo` does)."
        )
    if "/o/" not in page.url:  # someone in several organisations chooses one first
        page.click("main a[href*='/o/']")
        page.wait_for_load_state()
    return urlsplit(page.url).path


def shoot(page: Page, path: str, target: Path) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(target), full_page=True)
    print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    base_url = args.base_url.rstrip("/")
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: sudo apt-get install chromium")
    if not server_answers(base_url):
        sys.exit(f"Nothing answers at {base_url}: start the demo first with `make demo`.")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(base_url=base_url, viewport=DESKTOP, locale="nl-NL")
        page = context.new_page()

        shoot(page, "/", out / "landing.png")
        dashboard = log_in(page, args.email, args.password)
        shoot(page, dashboard, out / "dashboard.png")
        shoot(page, f"{dashboard}mensen/", out / "people.png")
        shoot(page, f"{dashboard}organisatie/", out / "settings.png")
        for path, name in (
            ("boekhouding/rapporten/", "reports.png"),
            ("boekhouding/resultaat-per-gebouw/", "result-by-building.png"),
            ("boekhouding/onafhankelijkheid/", "independence.png"),
            ("boekhouding/fondsen-en-reserves/", "fund-movements.png"),
            ("gebouwen/", "buildings.png"),
        ):
            shoot(page, f"{dashboard}{path}", out / name)
        page.set_viewport_size(PHONE)
        shoot(page, dashboard, out / "dashboard-phone.png")

        context.close()
        browser.close()


if __name__ == "__main__":
    main()
