"""`make screenshots`: seed the demo into a temporary instance, serve it, and save PNGs of the main pages.

Writes docs/screenshots/<name>.png at 1280 px wide (viewport 1280x900, the top of each page), with
Debian's Chromium; the PNGs are shrunk with Pillow's optimizer.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e.live import DEMO_PASSWORD, LAUNCH_ARGS, login, make_app, seed_demo, serving  # noqa: E402
from tests.e2e.pages import demo_pages  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
# Each role's home first (what it must do next), then the main pages of the workflow
SHOTS = ("firm-home", "team-dashboard", "judge-dashboard", "organizer-dashboard", "catalogue", "need", "bid",
         "online-sheet", "firm-ranking", "standings", "statistics", "contract")


def _optimize(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        image = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        image.save(path, optimize=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp))
        print("Loading the demo data …")
        seed_demo(app)
        wanted = {name: (user, path) for name, user, path in demo_pages(app) if name in SHOTS}
        with serving(app) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(**LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            for name in SHOTS:
                user, path = wanted[name]
                if user:
                    login(page, url, user, DEMO_PASSWORD)
                page.goto(url + path)
                target = OUT / f"{name}.png"
                page.screenshot(path=str(target))
                _optimize(target)
                print(f"{target.relative_to(ROOT)}  ({target.stat().st_size // 1024} KB)  {path}")
            browser.close()


if __name__ == "__main__":
    main()
