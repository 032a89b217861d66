"""Make the portal's default brand images from its text wordmark (no logo is invented):

- static/brand/apple-touch-icon.png   180 x 180, the "WB" initials of static/brand/favicon.svg
- root_files/favicon.ico              32 x 32 and 16 x 16 (PNG inside ICO), for /favicon.ico
- static/brand/share-default.png      1200 x 630, the Open Graph / Twitter card image

Run once after changing the wordmark, and commit the results (the site needs nothing to run):
    .venv/bin/python tools/make_brand_images.py
It drives the Chromium of the browser tests (CHROMIUM_PATH, default /usr/bin/chromium).
"""

import os
import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ACCENT = "#0b4f8a"
FONT = "DejaVu Sans, Verdana, sans-serif"

SHARE_HTML = f"""<!DOCTYPE html><html><head><style>
html, body {{ margin: 0; width: 1200px; height: 630px; }}
body {{ background: {ACCENT}; color: #fff; font-family: {FONT}; display: flex;
  flex-direction: column; justify-content: center; padding: 0 96px; box-sizing: border-box; }}
.name {{ font-size: 120px; font-weight: 700; letter-spacing: -2px; }}
.line {{ font-size: 44px; margin-top: 24px; max-width: 960px; line-height: 1.25; }}
.rule {{ width: 160px; height: 10px; background: #f5a700; margin-bottom: 40px; }}
</style></head><body><div class="rule"></div><div class="name">WB Portal</div>
<div class="line">Migration policy in the Western Balkans and Türkiye</div></body></html>"""


def icon_html(size):
    svg = (ROOT / "static" / "brand" / "favicon.svg").read_text()
    return (
        "<!DOCTYPE html><html><head><style>html,body{margin:0;background:transparent}"
        f"svg{{display:block;width:{size}px;height:{size}px}}</style></head><body>{svg}</body></html>"
    )


def screenshot(page, html, width, height, transparent=False):
    page.set_viewport_size({"width": width, "height": height})
    page.set_content(html)
    return page.screenshot(omit_background=transparent, type="png")


def ico(pngs):
    """An ICO file holding PNG images (supported by every current browser)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, data = b"", b""
    for size, png in pngs:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        data += png
    return header + entries + data


def main():
    chromium = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(device_scale_factor=1)
        (ROOT / "static" / "brand" / "apple-touch-icon.png").write_bytes(
            # Apple draws its own rounded corners: an opaque square, no transparency.
            screenshot(page, icon_html(180).replace('rx="12"', 'rx="0"'), 180, 180)
        )
        icons = [(size, screenshot(page, icon_html(size), size, size, True)) for size in (32, 16)]
        (ROOT / "root_files" / "favicon.ico").write_bytes(ico(icons))
        (ROOT / "static" / "brand" / "share-default.png").write_bytes(
            screenshot(page, SHARE_HTML, 1200, 630)
        )
        browser.close()


if __name__ == "__main__":
    main()
