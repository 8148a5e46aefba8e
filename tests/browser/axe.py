"""Accessibility checks with axe-core, run inside the real page.

`check(page)` injects axe.min.js (installed by `npm ci`), runs it on the whole
document and fails the test on every "serious" or "critical" violation, naming the
rule, its impact, axe's help text and the selectors of the offending elements.

`track(page)` counts the page's navigations so that the browser fixture can fail a
test that landed on a page without checking it. htmx swaps are not navigations:
tests call `check` themselves after a swap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = frozenset({"serious", "critical"})

_RUN_AXE = """
async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((node) => node.target.join(' ')),
  }));
}
"""


@dataclass
class Tracker:
    """Which navigations of one page have been checked with axe."""

    navigations: int = 0
    checked_up_to: int = 0
    unchecked: list[str] = field(default_factory=list)
    current_url: str = ""

    def on_navigation(self, url: str) -> None:
        if self.navigations > self.checked_up_to:
            self.unchecked.append(self.current_url)
        self.navigations += 1
        self.current_url = url

    def assert_all_checked(self) -> None:
        unchecked = list(self.unchecked)
        if self.navigations > self.checked_up_to:
            unchecked.append(self.current_url)
        if unchecked:
            pytest.fail(
                "These pages were visited but never checked with axe "
                f"(use helpers.visit or axe.check): {unchecked}"
            )


_trackers: WeakKeyDictionary[Page, Tracker] = WeakKeyDictionary()


def track(page: Page) -> Tracker:
    tracker = Tracker()
    _trackers[page] = tracker

    def on_frame_navigated(frame: Frame) -> None:
        if frame == page.main_frame and frame.url != "about:blank":
            tracker.on_navigation(frame.url)

    page.on("framenavigated", on_frame_navigated)
    return tracker


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {target}" for target in violation["targets"])
    return "\n".join(lines)


def check(page: Page, *, when: str = "") -> None:
    """Fail on serious or critical axe violations in the page as it is now."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    violations = [v for v in page.evaluate(_RUN_AXE) if v["impact"] in FAILING_IMPACTS]
    tracker = _trackers.get(page)
    if tracker is not None:
        tracker.checked_up_to = tracker.navigations
    if violations:
        where = f"{page.url} ({when})" if when else page.url
        pytest.fail(
            f"axe found serious accessibility problems on {where}:\n"
            + format_violations(violations),
            pytrace=False,
        )
