"""Draw the featured images of the site's own posts: abstract illustrations, made here
with Pillow, so the project owns them outright (CC0, see the README's Images section).

Run `.venv/bin/python -m tools.make_images` to write them again into content/images/;
the drawing is seeded and the JPEG settings fixed, so the same Pillow writes the same bytes.
Each picture shows what its post's Image_alt says.
"""

import argparse
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1600, 1000)
JPEG = {"format": "JPEG", "quality": 86, "optimize": True, "progressive": True}


def compose(top, bottom, seed):
    """A vertical gradient from `top` to `bottom` under soft, seeded circles of light."""
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE[1]):
        share = y / (SIZE[1] - 1)
        draw.line(
            [(0, y), (SIZE[0], y)], fill=tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True))
        )
    glow = Image.new("L", SIZE, 0)
    shapes = ImageDraw.Draw(glow)
    chance = random.Random(seed)
    for _ in range(14):
        x, y, r = chance.randrange(SIZE[0]), chance.randrange(SIZE[1]), chance.randrange(60, 260)
        shapes.ellipse((x - r, y - r, x + r, y + r), fill=chance.randrange(20, 50))
    glow = glow.filter(ImageFilter.GaussianBlur(60))
    return Image.composite(Image.new("RGB", SIZE, (255, 255, 255)), image, glow)


def decisions():
    """The seed post, 'decisions decisions': a signpost at a fork of two paths."""
    image = compose((28, 86, 120), (240, 190, 120), 1)
    draw = ImageDraw.Draw(image)
    draw.polygon([(700, 1000), (900, 1000), (820, 560), (780, 560)], fill=(235, 220, 190))
    draw.polygon([(780, 600), (820, 600), (300, 1000), (160, 1000)], fill=(225, 205, 170))
    draw.polygon([(780, 600), (820, 600), (1440, 1000), (1300, 1000)], fill=(225, 205, 170))
    draw.rectangle((785, 300, 815, 700), fill=(90, 60, 40))
    draw.polygon([(560, 330), (790, 330), (790, 410), (560, 410), (510, 370)], fill=(250, 245, 235))
    draw.polygon([(810, 440), (1040, 440), (1090, 480), (1040, 520), (810, 520)], fill=(255, 209, 102))
    return image


def interview():
    """Two chat bubbles, one with a question mark and one with a check mark, above a notepad and pen."""
    image = compose((40, 60, 110), (120, 170, 200), 2)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((330, 150, 730, 420), 60, fill=(250, 250, 250))
    draw.polygon([(420, 410), (470, 410), (400, 500)], fill=(250, 250, 250))
    draw.arc((470, 200, 590, 320), 200, 60, fill=(40, 60, 110), width=26)
    draw.line([(560, 300), (530, 330), (530, 350)], fill=(40, 60, 110), width=26)
    draw.ellipse((518, 365, 542, 389), fill=(40, 60, 110))
    draw.rounded_rectangle((870, 220, 1270, 490), 60, fill=(255, 209, 102))
    draw.polygon(
        [
            (1180, 480),
            (1130, 480),
            (1200, 570),
        ],
        fill=(255, 209, 102),
    )
    draw.line([(980, 360), (1050, 420), (1170, 290)], fill=(40, 60, 110), width=30, joint="curve")
    draw.rectangle((560, 620, 1040, 960), fill=(255, 252, 240))
    for y in range(680, 940, 50):
        draw.line([(600, y), (1000, y)], fill=(170, 190, 210), width=6)
    draw.polygon([(1080, 600), (1120, 630), (900, 930), (870, 940), (870, 905)], fill=(200, 70, 60))
    return image


def offer():
    """A balance scale with a briefcase on one pan and an envelope marked with a check on the other."""
    image = compose((60, 40, 90), (210, 150, 160), 3)
    draw = ImageDraw.Draw(image)
    draw.rectangle((785, 250, 815, 900), fill=(230, 200, 120))
    draw.rectangle((650, 880, 950, 930), fill=(230, 200, 120))
    draw.line([(420, 330), (1180, 270)], fill=(230, 200, 120), width=24)
    for x, y in ((420, 330), (1180, 270)):
        draw.line([(x, y), (x - 150, y + 260)], fill=(230, 200, 120), width=6)
        draw.line([(x, y), (x + 150, y + 260)], fill=(230, 200, 120), width=6)
        draw.chord((x - 190, y + 200, x + 190, y + 330), 0, 180, fill=(230, 200, 120))
    draw.rounded_rectangle((320, 420, 520, 540), 14, fill=(110, 70, 40))
    draw.rectangle((385, 390, 455, 420), outline=(110, 70, 40), width=12)
    draw.rectangle((1070, 380, 1290, 520), fill=(250, 250, 245))
    draw.line([(1070, 380), (1180, 460), (1290, 380)], fill=(180, 180, 190), width=6)
    draw.line([(1140, 470), (1170, 495), (1225, 430)], fill=(60, 150, 80), width=14)
    return image


def resigning():
    """An open door with a path leading out of it and a small plant beside the frame."""
    image = compose((30, 90, 80), (200, 220, 170), 4)
    draw = ImageDraw.Draw(image)
    draw.rectangle((600, 150, 1000, 820), fill=(250, 235, 180))
    draw.polygon([(600, 150), (760, 210), (760, 880), (600, 820)], fill=(120, 80, 50))
    draw.ellipse((715, 500, 740, 525), fill=(230, 200, 120))
    draw.polygon([(640, 1000), (960, 1000), (1000, 820), (600, 820)], fill=(235, 220, 190))
    draw.rectangle((580, 130, 1020, 150), fill=(90, 60, 40))
    draw.polygon([(1070, 820), (1170, 820), (1150, 720), (1090, 720)], fill=(190, 100, 60))
    for angle_x, top in ((-60, 560), (0, 520), (60, 570)):
        draw.ellipse((1120 + angle_x - 35, top, 1120 + angle_x + 35, top + 170), fill=(60, 140, 70))
    return image


def feedback():
    """An envelope with a letter sticking out and a speech bubble with three dots beside it."""
    image = compose((90, 50, 60), (240, 180, 130), 5)
    draw = ImageDraw.Draw(image)
    draw.rectangle((420, 330, 820, 560), fill=(255, 252, 240))
    for y in range(380, 560, 45):
        draw.line([(460, y), (780, y)], fill=(190, 190, 200), width=8)
    draw.rectangle((360, 480, 880, 820), fill=(235, 225, 205))
    draw.polygon([(360, 480), (620, 680), (880, 480), (880, 500), (620, 700), (360, 500)], fill=(200, 185, 160))
    draw.rounded_rectangle((980, 260, 1320, 480), 70, fill=(250, 250, 250))
    draw.polygon([(1030, 470), (1090, 470), (1000, 560)], fill=(250, 250, 250))
    for x in (1070, 1150, 1230):
        draw.ellipse((x - 22, 348, x + 22, 392), fill=(90, 50, 60))
    return image


PICTURES = {
    "decisions-decisions.jpg": decisions,
    "exploratory-interview.jpg": interview,
    "weighing-an-offer.jpg": offer,
    "resigning-well.jpg": resigning,
    "internship-feedback.jpg": feedback,
}


def main(argv=None):
    """Write every picture into the content folder (content/images by default)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--into", type=Path, default=ROOT / "content" / "images")
    folder = parser.parse_args(argv).into
    folder.mkdir(parents=True, exist_ok=True)
    for name, draw in PICTURES.items():
        draw().save(folder / name, **JPEG)
        print(f"wrote {folder / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
