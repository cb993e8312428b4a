"""What images cost and save (issue 16), beside `make bench` (benchmarks/run.py):

    python -m benchmarks.images [--posts 1000] [--repeats 1] [--skip-build] [--skip-phone]

1. Build time. The benchmark corpus (benchmarks/corpus.py) with one photo per post (a
   distinct 2400x1600 JPEG of about 0.5 MB with EXIF GPS, as a stock or phone picture
   resized by an editor; made here with Pillow, untimed) is built with our pipeline
   (`python -m tools.build`, as `make html`), and the same posts without their `Image`
   lines with the images plugin left out: the difference is what images add. Each side:
   a cold build (no cache, no output), then one post edited and built again with the cache
   the cold build left. Every build is a fresh process.
2. What a phone downloads for the seed post: Debian's Chromium (Playwright, never
   `playwright install`) at 375 px, served from 127.0.0.1, summing every response's body
   and headers: the site as it was before images (its SVG stand-in), the seed post with a
   12-megapixel phone photo published as uploaded (the images plugin left out), the same
   photo with renditions, and the site as committed (its illustration, with renditions).
"""

import argparse
import http.server
import io
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from benchmarks.corpus import CATEGORIES, edit_post, write_corpus
from benchmarks.measure import run_build
from benchmarks.run import clear
from benchmarks.sites import ROOT, ours_command

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

# The commit this branch started from: the site before images.
BEFORE_IMAGES = "c3d5b0b"
SEED_POST = "/2014/02/when-a-recruiter-calls/"

SETTINGS = """\
import sys

sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: E402, F403

PATH = {content!r}
THEME = {theme!r}
EDITORIAL_CATEGORIES = {categories!r}
CACHE_PATH = "cache"
PLUGINS = {plugins!r}
"""


def photo_bytes(seed, size=(2400, 1600), quality=85):
    """A photo-like JPEG: soft shapes and fine grain (which encoders find as hard as a
    photo's), different for every seed, with EXIF GPS as a phone writes it."""
    chance = random.Random(seed)
    # Drawn and blurred at a quarter of the size, then scaled up: soft shapes, made fast.
    small_size = (size[0] // 4, size[1] // 4)
    image = Image.new("RGB", small_size, tuple(chance.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y, r = chance.randrange(small_size[0]), chance.randrange(small_size[1]), chance.randrange(25, 175)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(chance.randrange(256) for _ in range(3)))
    image = image.filter(ImageFilter.GaussianBlur(8)).resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise(size, 18).convert("RGB")
    image = Image.blend(image, grain, 0.12)
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)})
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()


def with_photos(corpus):
    """Give every post of `corpus` its own photo as its featured image."""
    images = corpus.content / "images"
    for number, relative in enumerate(corpus.post_files):
        (images / f"photo-{number:04d}.jpg").write_bytes(photo_bytes(number))
        path = corpus.content / relative
        text = re.sub(r"^Image(_alt|_credit|_credit_url)?: .*\n", "", path.read_text(encoding="utf-8"), flags=re.M)
        head, _, body = text.partition("\n\n")
        fields = f"Image: images/photo-{number:04d}.jpg\nImage_alt: A photo for post {number}\n"
        path.write_text(f"{head}\n{fields}\n{body}", encoding="utf-8", newline="\n")


def without_images(corpus):
    """Take every post's featured image out of `corpus`."""
    for relative in corpus.post_files:
        path = corpus.content / relative
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^Image(_alt|_credit|_credit_url)?: .*\n", "", text, flags=re.M), newline="\n")


def settings_file(root, content, plugins):
    path = Path(root) / "imagesconf.py"
    path.write_text(
        SETTINGS.format(
            root=str(ROOT), content=str(content), theme=str(ROOT / "theme"), categories=list(CATEGORIES),
            plugins=plugins,
        ),
        encoding="utf-8",
    )  # fmt: skip
    return path


def plugins(images):
    from pelicanconf import PLUGINS

    return [name for name in PLUGINS if images or name != "images"]


def timed_side(root, posts, images, repeats, progress):
    """[(cold seconds, edited seconds, cold CPU seconds)] of one side, `repeats` times."""
    corpus = write_corpus(root, posts)
    if images:
        progress(f"  making {posts} photos (untimed)...")
        with_photos(corpus)
    else:
        without_images(corpus)
    conf = settings_file(root, corpus.content, plugins(images))
    output = Path(root) / "output"
    runs = []
    for repeat in range(repeats):
        clear(output, Path(root) / "cache")
        cold = run_build(ours_command(conf, output), output, cwd=ROOT)
        edit_post(corpus, repeat)
        edited = run_build(ours_command(conf, output), output, cwd=ROOT)
        runs.append((cold.seconds, edited.seconds, cold.cpu_seconds))
        progress(
            f"  {'with' if images else 'without'} images: cold {cold.seconds:.1f} s, edited {edited.seconds:.1f} s"
        )
    return runs


def build_times(posts, repeats, progress):
    with tempfile.TemporaryDirectory(prefix="bench-images-") as folder:
        sides = {}
        for images in (False, True):
            root = Path(folder) / ("with" if images else "without")
            sides[images] = timed_side(root, posts, images, repeats, progress)
            shutil.rmtree(root)
    median = {key: [statistics.median(run[i] for run in runs) for i in range(3)] for key, runs in sides.items()}
    (base_cold, base_edit, base_cpu), (img_cold, img_edit, img_cpu) = median[False], median[True]
    print(f"\n{posts} posts, one photo each, medians of {repeats}:")
    print("| | without images | with images | images add |")
    print("|---|---:|---:|---:|")
    print(f"| cold build | {base_cold:.1f} s | {img_cold:.1f} s | {img_cold - base_cold:+.1f} s |")
    print(f"| cold build, CPU | {base_cpu:.1f} s | {img_cpu:.1f} s | {img_cpu - base_cpu:+.1f} s |")
    print(f"| one post edited | {base_edit:.1f} s | {img_edit:.1f} s | {img_edit - base_edit:+.1f} s |")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        """No request log."""


def phone_bytes(output_for, label, browser):
    """Bytes (bodies and headers) Chromium at 375 px downloads for the seed post of the
    site `output_for(origin)` builds."""
    from support import local_server, serving

    with tempfile.TemporaryDirectory(prefix="bench-phone-") as folder:
        output = Path(folder) / "output"
        output.mkdir()
        server, origin = local_server(QuietHandler, output)
        output_for(origin, output)
        with serving(server):
            page = browser.new_page(viewport={"width": 375, "height": 812})
            sizes = []
            page.on("requestfinished", lambda request: sizes.append((request.url, request.sizes())))
            page.goto(origin + SEED_POST, wait_until="networkidle")
            page.close()
    total = sum(size["responseBodySize"] + size["responseHeadersSize"] for _, size in sizes)
    images = sum(size["responseBodySize"] for url, size in sizes if "/images/" in url)
    print(f"| {label} | {len(sizes)} | {images:,} | {total:,} |")


def build_with(content, plugin_list, repository=ROOT):
    """output_for(origin, output): build `content` with `plugin_list` for `origin`."""
    from support import build_site

    def output_for(origin, output):
        if repository == ROOT:
            build_site(content, output, PLUGINS=plugin_list, SITEURL=origin)
            return
        command = [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, 'plugins'); from tools.build import build; "
            f"build('pelicanconf.py', {str(output)!r}, {{'PATH': {str(content)!r}, 'SITEURL': {origin!r}}})",
        ]
        subprocess.run(command, cwd=repository, check=True, capture_output=True, text=True)

    return output_for


def phone_downloads():
    from playwright.sync_api import sync_playwright
    from support import CHROMIUM, CHROMIUM_ARGS

    with tempfile.TemporaryDirectory(prefix="bench-seed-") as folder:
        folder = Path(folder)
        before = folder / "before"
        before.mkdir()
        archive = subprocess.run(["git", "archive", BEFORE_IMAGES], cwd=ROOT, check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive.stdout, check=True)
        # The seed post with a 12-megapixel phone photo (4032x3024, as a phone takes it).
        phone = folder / "phone-content"
        shutil.copytree(ROOT / "content", phone)
        (phone / "images" / "decisions-decisions.jpg").write_bytes(photo_bytes(7, (4032, 3024), quality=92))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            print("\nThe seed post on a phone (Chromium, 375 px wide):")
            print("| site | requests | image bytes | all bytes |")
            print("|---|---:|---:|---:|")
            phone_bytes(build_with(before / "content", None, before), f"before images ({BEFORE_IMAGES}, SVG stand-in)",
                        browser)  # fmt: skip
            phone_bytes(build_with(phone, plugins(False)), "phone photo (4032x3024), as uploaded", browser)
            phone_bytes(build_with(phone, plugins(True)), "phone photo (4032x3024), renditions", browser)
            phone_bytes(build_with(ROOT / "content", plugins(True)), "as committed (illustration), renditions", browser)
            browser.close()


def main(argv=None):
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--skip-build", action="store_true", help="only the phone download")
    parser.add_argument("--skip-phone", action="store_true", help="only the build times")
    options = parser.parse_args(argv)
    if not options.skip_build:
        build_times(options.posts, options.repeats, print)
    if not options.skip_phone:
        phone_downloads()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
