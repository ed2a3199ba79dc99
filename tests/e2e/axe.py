"""axe-core in the browser: what a page violates, and the README's screenshots.

axe-playwright-python carries axe-core and injects it into the page; the
checks run on the page as Chromium rendered it (colours, focus order, names).
"""

import os
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# WCAG 2.0 and 2.1, levels A and AA: what Belgian public-sector sites must meet.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS = {"serious", "critical"}

_axe = Axe()


def violations(page: Page, *, impacts: set[str] | None = None) -> list[str]:
    """One readable line per WCAG 2.1 AA rule the page breaks.

    With ``impacts``, only violations of that impact count (the admin, which
    is Django's own, is held to "no serious or critical violation").
    """
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_21_AA},
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{page.url} [{page.viewport_size['width']}px] {rule['id']} "
        f"({rule['impact']}): {rule['help']} at "
        + ", ".join(" ".join(node["target"]) for node in rule["nodes"][:5])
        for rule in results.response["violations"]
        if impacts is None or rule["impact"] in impacts
    ]


def screenshot(page: Page, name: str, *, full_page: bool = False) -> None:
    """Save the page as ``<name>-<phone|desktop>.png`` when ``make screenshots``
    asks for it (``SCREENSHOT_DIR``); otherwise do nothing."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if not folder:
        return
    size = "phone" if page.viewport_size["width"] < 576 else "desktop"
    path = Path(folder) / f"{name}-{size}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=str(path), full_page=full_page, animations="disabled", caret="hide"
    )
