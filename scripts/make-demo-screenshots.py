#!/usr/bin/env python3
"""Draws the mock phone screenshots used by the transcription example and the demo case.

They imitate the *layout* of a messenger's "Devices" list in a flat, generic style (no logos,
no copied artwork) and carry a "mock" footer so they can never pass for real evidence.
Their content matches fixtures/transcribed/example/transcription.json line for line.

Needs Pillow (pip install pillow) and the DejaVu fonts (fonts-dejavu-core).
Output is deterministic: palette PNGs without timestamps, each well under 40 KB.

    python3 scripts/make-demo-screenshots.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "fixtures" / "transcribed" / "example"
COPIES = [
    ROOT / "fixtures" / "demo" / "screenshots",
    ROOT / "fixtures" / "transcribed" / "fail_bad_time",
    ROOT / "fixtures" / "transcribed" / "fail_wrong_format",
]
W, H = 390, 844
FONT_DIRS = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts"]

INK = (28, 28, 30)
GREY = (128, 128, 134)
ACCENT = (42, 125, 214)
RED = (214, 56, 52)
PAGE = (239, 239, 244)
CARD = (255, 255, 255)
RULE = (222, 222, 228)


def font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.exists():
            return ImageFont.truetype(str(path), size)
    raise SystemExit(f"font {name} not found; install fonts-dejavu-core")


class Screen:
    def __init__(self, clock: str, title: str):
        self.img = Image.new("RGB", (W, H), PAGE)
        self.d = ImageDraw.Draw(self.img)
        self.y = 0
        # Status bar.
        self.d.rectangle([0, 0, W, 40], fill=CARD)
        self.d.text((22, 11), clock, font=font(True, 15), fill=INK)
        self.d.rectangle([334, 14, 358, 26], outline=INK, width=2)
        self.d.rectangle([337, 17, 352, 23], fill=INK)
        self.d.rectangle([359, 17, 361, 23], fill=INK)
        self.d.text((296, 12), "87%", font=font(False, 13), fill=INK)
        # App bar with a drawn back arrow.
        self.d.rectangle([0, 40, W, 96], fill=CARD)
        self.d.line([20, 68, 36, 68], fill=INK, width=3)
        self.d.line([20, 68, 28, 60], fill=INK, width=3)
        self.d.line([20, 68, 28, 76], fill=INK, width=3)
        self.d.text((56, 56), title, font=font(True, 20), fill=INK)
        self.d.line([0, 96, W, 96], fill=RULE)
        self.y = 104

    def header(self, text: str) -> None:
        self.y += 10
        self.d.text((20, self.y), text, font=font(True, 13), fill=ACCENT)
        self.y += 26

    def row(self, badge: str, colour, title: str, line2: str, line3: str, status: str = "",
            status_colour=GREY, right: str = "") -> None:
        top = self.y
        self.d.rectangle([0, top, W, top + 78], fill=CARD)
        self.d.ellipse([18, top + 16, 58, top + 56], fill=colour)
        bw = self.d.textlength(badge, font=font(True, 16))
        self.d.text((38 - bw / 2, top + 26), badge, font=font(True, 16), fill=CARD)
        self.d.text((74, top + 10), title, font=font(True, 16), fill=INK)
        self.d.text((74, top + 33), line2, font=font(False, 14), fill=INK)
        place = line3 + (" · " if status else "")
        self.d.text((74, top + 54), place, font=font(False, 13), fill=GREY)
        if status:
            x = 74 + self.d.textlength(place, font=font(False, 13))
            self.d.text((x, top + 54), status, font=font(False, 13), fill=status_colour)
        if right:
            rw = self.d.textlength(right, font=font(False, 13))
            self.d.text((W - 18 - rw, top + 12), right, font=font(False, 13), fill=GREY)
        self.d.line([74, top + 78, W, top + 78], fill=RULE)
        self.y = top + 79

    def action(self, text: str, colour=RED) -> None:
        self.d.rectangle([0, self.y, W, self.y + 48], fill=CARD)
        self.d.text((74, self.y + 14), text, font=font(False, 16), fill=colour)
        self.y += 49

    def note(self, lines: list[str]) -> None:
        self.y += 8
        for line in lines:
            self.d.text((20, self.y), line, font=font(False, 12), fill=GREY)
            self.y += 17
        self.y += 6

    def setting(self, title: str, value: str) -> None:
        self.d.rectangle([0, self.y, W, self.y + 56], fill=CARD)
        self.d.text((20, self.y + 8), title, font=font(False, 16), fill=INK)
        self.d.text((20, self.y + 31), value, font=font(False, 13), fill=ACCENT)
        self.y += 57

    def save(self, path: Path) -> None:
        footer = "MOCK SCREENSHOT · fictional data · sessionproof demo"
        fw = self.d.textlength(footer, font=font(False, 11))
        self.d.text(((W - fw) / 2, H - 40), footer, font=font(False, 11), fill=GREY)
        self.d.rounded_rectangle([140, H - 10, 250, H - 6], radius=2, fill=INK)
        pal = self.img.quantize(colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        path.parent.mkdir(parents=True, exist_ok=True)
        pal.save(path, format="PNG", optimize=True)
        size = path.stat().st_size
        assert size < 40_000, f"{path} is {size} bytes"
        print(f"{size:7d}  {path.relative_to(ROOT)}")


ANDROID = (76, 175, 80)
WINDOWS = (33, 150, 243)
OTHER = (255, 152, 0)
WEB = (156, 39, 176)


def devices() -> Screen:
    s = Screen("9:41", "Devices")
    s.header("This device")
    s.row("P", ANDROID, "Pixel 8", "Telegram Android 12.1.1", "Germany", "online", ACCENT)
    s.action("Terminate All Other Sessions")
    s.note(["Logs out all devices except for this one."])
    s.header("Active sessions")
    s.row("T", WINDOWS, "ThinkPad X1 Carbon", "Telegram Desktop 5.16.4 x64", "Germany", "yesterday at 22:15")
    s.row("D", WINDOWS, "DESKTOP-7Q2K9LM", "Telegram Desktop 4.16.8 x64", "Netherlands", "yesterday at 23:47")
    s.row("S", OTHER, "Samsung SM-G991B", "Nicegram 1.6.1", "Germany", "Tue")
    s.note(["Tap a session to see its details or to end it."])
    s.header("Automatically terminate old sessions")
    s.setting("If inactive for", "6 months")
    return s


def websites() -> Screen:
    s = Screen("9:42", "Logged in with Telegram")
    s.note(["Websites where you used your account to sign in."])
    s.header("Connected websites")
    s.row("A", WEB, "auth.example.org", "Orgauth Bot, Chrome 119, Windows", "3.5.140.2 — Netherlands",
          right="Nov 19")
    s.action("Disconnect All Websites")
    s.note(["Logs you out of all websites where you signed in", "with your account."])
    return s


def main() -> None:
    shots = {
        "Screenshot_20261126-094100.png": devices(),
        "Screenshot_20261126-094230.png": websites(),
    }
    for name, screen in shots.items():
        screen.save(EXAMPLE / name)
    for folder in COPIES:
        folder.mkdir(parents=True, exist_ok=True)
        names = shots if folder.name == "screenshots" else list(shots)[:1]
        for name in names:
            shutil.copyfile(EXAMPLE / name, folder / name)
            print(f"   copy  {(folder / name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
