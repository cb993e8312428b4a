"""The social card of a post without a raster image, and of the listing pages: 1200x630,
drawn at build time with the title, the authors, the series part and the site's name in
DejaVu Sans, which the theme ships (theme/fonts/, with its licence): no font is fetched,
and no font of the machine is used, so every machine draws the same letters.
"""

import functools

from PIL import Image, ImageDraw, ImageFont

from .renditions import CARD_JPEG, CARD_SIZE, encode

# Bump when a drawn card changes for the same text: the cache key holds it.
VERSION = 1
BACKGROUND = (11, 79, 108)
ACCENT = (255, 209, 102)
TEXT = (255, 255, 255)
MUTED = (210, 228, 236)
MARGIN = 80
TITLE_SIZES = (68, 60, 52, 46, 40)  # the largest that fits in four lines wins
TITLE_LINES = 4


def _wrap(draw, text, font, width):
    """`text` in lines no wider than `width` (a word longer than a line is cut)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while draw.textlength(word, font=font) > width:  # a very long word: cut it
            cut = len(word)
            while cut > 1 and draw.textlength(word[:cut], font=font) > width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _fitted_title(draw, title, fonts, width):
    for font in fonts:
        lines = _wrap(draw, title, font, width)
        if len(lines) <= TITLE_LINES:
            return font, lines
    font = fonts[-1]
    lines = _wrap(draw, title, font, width)[:TITLE_LINES]
    lines[-1] = lines[-1].rstrip(".,;: ") + "…"
    return font, lines


@functools.lru_cache(maxsize=32)
def _font(path, size):
    # Loading a face reads the whole file: once per size and process, not once per card.
    return ImageFont.truetype(path, size)


def draw_card(fonts_folder, site_name, title, byline="", series=""):
    """The JPEG bytes of a drawn card. Every argument is text; the drawing never reads it
    as anything else."""
    regular = str(fonts_folder / "DejaVuSans.ttf")
    bold = str(fonts_folder / "DejaVuSans-Bold.ttf")
    image = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = CARD_SIZE[0] - 2 * MARGIN
    draw.rectangle((0, 0, 24, CARD_SIZE[1]), fill=ACCENT)
    site_font = _font(bold, 34)
    draw.text((MARGIN, 64), _wrap(draw, site_name, site_font, width)[0], font=site_font, fill=ACCENT)
    title_fonts = [_font(bold, size) for size in TITLE_SIZES]
    font, lines = _fitted_title(draw, title, title_fonts, width)
    y = 150
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=TEXT)
        y += round(font.size * 1.2)
    small = _font(regular, 32)
    y = CARD_SIZE[1] - 70
    for text in (byline, series)[::-1]:
        if text:
            y -= 44
            draw.text((MARGIN, y), _wrap(draw, text, small, width)[0], font=small, fill=MUTED)
    return encode(image, CARD_JPEG)
