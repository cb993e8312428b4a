"""The images generator: the renditions and social cards of every post's featured image
and body images, planned before anything is written and written with the rest of the site.

In `generate_context` (every post and page is read; no page is rendered yet) each source
is checked, converted once (or taken from the cache, keyed by its bytes) and attached to
its posts as `picture`, `social_card` and `feed_image` (blogcore.images); each body
`<img>` of a raster file under content/ becomes a `<picture>`. Problems found here are
raised from `planned_outputs()`, with every other problem of the build, in one report.
"""

import logging
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from blogcore import cachefile
from blogcore.images import RASTER_TYPES, Picture, Rendition
from blogcore.output import copy_file, write_bytes
from blogcore.outputs import SITE, PlannedOutput
from blogcore.problems import ContentProblems, Problem, site_relative
from blogcore.refresh import NotRefreshable
from blogcore.source import UnreadableSource, read_source
from blogcore.workers import share_out, usable_cpus
from pelican.generators import Generator

from . import cards, renditions
from .bodyimages import content_path_of, image_tags, replace_tags
from .cardstore import CardStore
from .probe import Unusable, is_raster_name, probe
from .settings import images_settings
from .strip import stripped

logger = logging.getLogger(__name__)

RENDITIONS_FOLDER = "images/renditions"
CARDS_FOLDER = "images/cards"
# Where the static-files receiver leaves the photos it took from the StaticGenerator.
ORIGINALS_KEY = "IMAGES_ORIGINALS"
FONTS = Path(__file__).resolve().parent.parent.parent / "theme" / "fonts"
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Job:
    """One conversion: a source with the widths, focus and card it is wanted with."""

    path: str  # relative to content/
    focus: tuple | None
    with_card: bool
    data: bytes = b""  # the source's bytes until converted; empty when it cannot be used
    digest: str = ""  # of the source's bytes: its cache key and its renditions' names
    size: tuple = (0, 0)  # as shown, after the EXIF orientation
    result: object = None  # renditions.Converted
    sets: tuple = ()  # ((type, (Rendition, ...)), ...) once placed
    card: object = None  # the Rendition of its social card, when one was asked for
    users: list = field(default_factory=list)

    @property
    def key(self):
        return (self.path, self.focus, self.with_card)


def stem(path):
    """A short, URL-safe name from a source's file name (the name is guest text)."""
    return _NOT_SLUG.sub("-", Path(path).stem.lower()).strip("-")[:40] or "image"


def _focus_text(focus):
    return "" if focus is None else f"{focus[0]:.4f},{focus[1]:.4f}"


class ImagesGenerator(Generator):
    """Makes and writes the images' renditions and the social cards."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = images_settings(self.settings)
        self.files = {}  # output path -> bytes, or the kept file holding them (None once written)
        self.writers = {}  # output path -> what writes it, as an editor reads it
        self.originals = {}  # output path -> (source path, as editors see it) of each photo
        self.problems = []
        self.jobs = {}  # (path, focus, with_card) -> Job of every image of the site
        self.body_images = {}  # source path -> the keys of the jobs of the images its body shows
        self.site_root = Path(self.settings["PATH"]).parent
        # Drawn cards are kept in the cache under the font's digest too: a new font draws anew.
        self.font_digest = cachefile.digest(b"".join(path.read_bytes() for path in sorted(FONTS.glob("*.ttf"))))

    # --- planning -------------------------------------------------------------------

    def generate_context(self):
        """Check, convert and attach every image of the site's posts and pages."""
        articles = [*self.context.get("articles", []), *self.context.get("drafts", [])]
        articles += self.context.get("hidden_articles", [])
        pages = [*self.context.get("pages", []), *self.context.get("hidden_pages", [])]
        pages += self.context.get("draft_pages", [])
        self.context["IMAGES_SIZES"] = self.options["IMAGES_SIZES"]
        jobs = {}
        for article in articles:
            self._featured_job(article, jobs)
        bodies = [(content, self._body_jobs(content, jobs)) for content in [*articles, *pages]]
        # Which images each body shows: a body read again may stop showing one (check_body).
        self.body_images = {content.source_path: {key for _, key in found} for content, found in bodies}
        self._convert([job for job in jobs.values() if job.result is None and job.data])
        for job in jobs.values():
            job.data = b""  # a thousand photos are hundreds of megabytes: not kept past here
        self.jobs = jobs  # for a body read again (check_body, rewrite_body)
        for job in jobs.values():
            if job.result is not None:
                self._place(job)
        wanted = {}  # the texts of a drawn card -> the posts showing it
        for article in articles:
            texts = self._attach_card(article, jobs)
            if texts is not None:
                wanted.setdefault(texts, []).append(article)
        site_name = self.settings.get("EDITORIAL_SITE_NAME") or self.settings.get("SITENAME", "")
        site_texts = (site_name, self.settings.get("SITE_TAGLINE", ""), "", "")
        drawn = self._drawn_cards([site_texts, *wanted])
        self.context["SITE_SOCIAL_CARD"] = drawn[site_texts]
        for texts, posts in wanted.items():
            for article in posts:
                article.social_card = drawn[texts]
        # A build with a problem stops before writing: its bodies keep the editor's links,
        # which the body-link check reads, instead of links to files that are not planned.
        for content, found in bodies if not self.problems else ():
            if found:
                self._rewrite_body(content, found, jobs)

    def _source(self, content):
        return site_relative(content.source_path, self.site_root)

    def _problem(self, content, line, name, message, fix):
        self.problems.append(Problem(self._source(content), line, name, message, fix))

    def _line(self, content, name):
        # Read again only for a post with a problem.
        try:
            return read_source(content.source_path).line(name)
        except (OSError, UnreadableSource):
            return None

    def _job(self, jobs, path, focus, with_card, on_problem):
        key = (path, focus, with_card)
        if key in jobs:
            return jobs[key]
        job = jobs[key] = Job(path, focus, with_card)
        full = os.path.join(self.settings["PATH"], path)
        try:
            probed = probe(full, self.options["IMAGES_MAX_BYTES"], self.options["IMAGES_MAX_PIXELS"])
        except Unusable as unusable:
            on_problem(unusable.message, unusable.fix)
            return job
        except OSError as error:
            on_problem(f"cannot be read ({error.strerror})", "check the file's permissions")
            return job
        job.data, job.size = probed.data, (probed.width, probed.height)
        job.digest = cachefile.digest(job.data)
        return job

    def _featured_job(self, article, jobs):
        image = getattr(article, "image", None)
        article.picture = article.feed_image = article.feed_thumbnail = None
        if image is None or not is_raster_name(image.path) or "://" in image.path:
            return  # an SVG or a remote picture is shown as it is; the card is drawn
        path = self._featured_path(article, image)
        if path is None:
            return  # the audit reported it

        def problem(message, fix):
            self._problem(article, self._line(article, "Image"), "Image", f"'{image.path}' {message}", fix)

        job = self._job(jobs, path, getattr(image, "focus", None), True, problem)
        if job.data and job.size[0] < self.options["IMAGES_MIN_WIDTH"]:
            minimum = self.options["IMAGES_MIN_WIDTH"]
            problem(
                f"is {job.size[0]}x{job.size[1]} px, narrower than the {minimum} px the post page shows it at",
                f"use a picture at least {minimum} px wide (1,200 px or more for sharp social cards)",
            )
            job.data = b""
        job.users.append(article)

    def _featured_path(self, article, image):
        """The content-relative path of a featured image: under content/, else beside the post."""
        for folder in ("", posixpath.dirname(article.relative_source_path)):
            path = posixpath.normpath(posixpath.join(folder, image.path))
            if not path.startswith("..") and os.path.isfile(os.path.join(self.settings["PATH"], path)):
                return path
        return None

    def _body_jobs(self, content, jobs):
        body = getattr(content, "_content", "") or ""
        found = []
        folder = posixpath.dirname(content.relative_source_path)
        for tag in image_tags(body):
            path = content_path_of(tag.src, folder)
            if (
                path is None
                or not is_raster_name(path)
                or not os.path.isfile(os.path.join(self.settings["PATH"], path))
            ):
                continue  # not a file of this site, or a missing one (bodylinks reports it)
            line = self._body_line(content, tag.src)
            if not tag.attributes.get("alt", "").strip():
                self._problem(
                    content,
                    line,
                    "body",
                    f"image '{tag.src}' has no alt text",
                    "write what it shows between the brackets: ![what the image shows](...)",
                )

            def problem(message, fix, src=tag.src, line=line):
                self._problem(content, line, "body", f"image '{src}' {message}", fix)

            job = self._job(jobs, path, None, False, problem)
            found.append((tag, job.key))
        return found

    def _body_line(self, content, src):
        try:
            source = read_source(content.source_path)
        except (OSError, UnreadableSource):
            return None
        target = src.split("}", 1)[-1].split("|")[-1]
        offset = next((number for number, text in enumerate(source.body.split("\n")) if target in text), None)
        return None if offset is None else source.body_line + offset

    # --- converting -------------------------------------------------------------------

    def _cache_key(self, job):
        return (
            "images",
            renditions.VERSION,
            job.digest,
            self.options["IMAGES_WIDTHS"],
            _focus_text(job.focus),
            job.with_card,
        )

    def _cache_file(self, key):
        return Path(self.options["IMAGES_CACHE_PATH"]) / f"{cachefile.digest(repr(key).encode())}.pickle"

    def _convert(self, jobs):
        """Each job's Converted: from the cache when on, else made (on every core when many)."""
        todo = []
        for job in jobs:
            if self.options["IMAGES_CACHE"]:
                job.result = cachefile.load(self._cache_file(self._cache_key(job)), self._cache_key(job))
            if job.result is None:
                todo.append(job)
        widths = self.options["IMAGES_WIDTHS"]
        converted = self._in_parallel(
            todo, lambda job: renditions.convert(job.data, widths, job.focus, job.with_card), "image conversion"
        )
        for job, result in zip(todo, converted, strict=True):
            job.result = result
            if self.options["IMAGES_CACHE"]:
                cachefile.save(self._cache_file(self._cache_key(job)), self._cache_key(job), result)

    def _in_parallel(self, items, make, what):
        """[make(item) for item in items], on every core when there are many (forked
        workers see the build's objects; only the bytes made come back)."""
        workers = min(usable_cpus(), max(1, len(items) // self.options["IMAGES_MIN_BATCH"]))
        if workers == 1:
            return [make(item) for item in items]
        shares = share_out(items, lambda share: [make(item) for item in share], workers, what)
        results = {}
        for number, share in enumerate(shares):  # share n holds items n, n + workers, ...
            for offset, made in enumerate(share):
                results[number + offset * workers] = made
        return [results[index] for index in range(len(items))]

    # --- placing ------------------------------------------------------------------

    def _add(self, path, data, writer):
        self.files[path] = data
        self.writers[path] = writer

    def _rendition(self, path, encoded, writer):
        self._add(path, encoded.data, writer)
        kind = RASTER_TYPES[encoded.extension]
        return Rendition(path, encoded.width, encoded.height, kind, len(encoded.data))

    def _place(self, job):
        """The output paths of a job's files (named by the source's bytes, so a changed
        photo gets new URLs and no browser shows the old one from its cache)."""
        name = f"{stem(job.path)}-{job.digest[:10]}"
        writer = f"the renditions of content/{job.path}"
        made = [
            self._rendition(f"{RENDITIONS_FOLDER}/{name}-{item.width}{item.extension}", item, writer)
            for item in job.result.renditions
        ]
        sets = {}
        for item in made:
            sets.setdefault(item.type, []).append(item)
        # WebP first: a browser takes the first <source> it can show; the fallback is the <img>.
        ordered = sorted(sets.items(), key=lambda pair: pair[0] != "image/webp")
        job.sets = tuple((kind, tuple(items)) for kind, items in ordered)
        job.card = None
        if job.result.card is not None:
            suffix = "" if job.focus is None else "-" + cachefile.digest(_focus_text(job.focus).encode())[:6]
            card_path = f"{CARDS_FOLDER}/{name}{suffix}.jpg"
            job.card = self._rendition(card_path, job.result.card, f"the social card of content/{job.path}")

    def _picture(self, job, alt):
        largest = job.sets[-1][1][-1]
        return Picture(alt, job.sets, largest.width, largest.height)

    def _attach_card(self, article, jobs):
        """Attach the picture and card of a post's photo; for a post without one, return
        the texts of the card to draw for it."""
        image = getattr(article, "image", None)
        job = None
        path = self._featured_path(article, image) if image is not None and is_raster_name(image.path) else None
        if path is not None:
            job = jobs.get((path, getattr(image, "focus", None), True))
        if job is not None and job.result is not None:
            article.picture = self._picture(job, image.alt)
            article.feed_image, article.feed_thumbnail = job.sets[-1][1][-1], job.sets[-1][1][0]
            article.social_card = job.card
            return None
        authors = [getattr(author, "profile", None) or author for author in getattr(article, "authors", [])]
        byline = "By " + ", ".join(author.name for author in authors) if authors else ""
        position = getattr(article, "series_position", None)
        series = f"Part {position.number} of {position.total}: {position.series.name}" if position else ""
        site_name = self.settings.get("EDITORIAL_SITE_NAME") or self.settings.get("SITENAME", "")
        return (site_name, article.title, byline, series)

    def _drawn_cards(self, wanted):
        """{texts: Rendition} of a drawn card for each (site name, title, byline, series) of
        `wanted`: the kept ones from the cache when on (cardstore.py: copied into the
        output as files, never read), the others drawn (on every core when many)."""
        keys = {texts: ("card", cards.VERSION, renditions.VERSION, texts, self.font_digest) for texts in wanted}
        store = CardStore(self.options["IMAGES_CACHE_PATH"]) if self.options["IMAGES_CACHE"] else None
        drawn = {}
        for texts in wanted:
            kept = store.get(keys[texts]) if store is not None else None
            if kept is not None:
                digest, size = kept
                drawn[texts] = self._card_rendition(digest, size, store.file(digest))
        todo = [texts for texts in wanted if texts not in drawn]
        for texts, data in zip(todo, self._in_parallel(todo, self._draw, "card drawing"), strict=True):
            drawn[texts] = self._card_rendition(cachefile.digest(data), len(data), data)
            if store is not None:
                store.add(keys[texts], data)
        if store is not None:
            store.save()
        return drawn

    @staticmethod
    def _draw(texts):
        return cards.draw_card(FONTS, *texts)

    def _card_rendition(self, digest, size, data):
        """The Rendition of a drawn card whose bytes (`data`, or the kept file `data`
        holding them) have `digest` and `size`."""
        # Named by its bytes: the same card has the same URL in every build.
        path = f"{CARDS_FOLDER}/{digest[:16]}.jpg"
        self._add(path, data, "a social card")
        return Rendition(path, *renditions.CARD_SIZE, RASTER_TYPES[".jpg"], size)

    def _rewrite_body(self, content, found, jobs):
        replacements = []
        for tag, key in found:
            job = jobs[key]
            if job.result is None:
                continue
            picture = self._picture(job, tag.attributes.get("alt") or "")
            # Body images are below the featured image and the title: lazy, site paths.
            replacements.append((tag, picture.html("", self.options["IMAGES_SIZES"], lazy=True)))
        if replacements:
            content._content = replace_tags(content._content, replacements)

    # --- one post's body again (blogcore.refresh, the dev server) -------------------

    def check_body(self, content):
        """The problems of the images in `content`'s new body, as generate_context finds
        them; NotRefreshable when it shows an image this build did not convert."""
        known, before = set(self.jobs), len(self.problems)
        shown = {key for _, key in self._body_jobs(content, self.jobs)}
        added = set(self.jobs) - known
        problems = self.problems[before:]
        del self.problems[before:]
        for key in added:
            del self.jobs[key]
        if added:
            raise NotRefreshable(f"{self._source(content)} shows an image the site on screen does not have")
        # An image no body shows any more has no renditions in a build: only a build drops them.
        others = [keys for path, keys in self.body_images.items() if path != content.source_path]
        if self.body_images.get(content.source_path, set()) - shown - set().union(*others):
            raise NotRefreshable(f"{self._source(content)} no longer shows an image that no other post shows")
        return problems

    def rewrite_body(self, content):
        """Show the images of `content`'s new body as <picture>, as generate_context does."""
        found = self._body_jobs(content, self.jobs)
        self.body_images[content.source_path] = {key for _, key in found}
        if found:
            self._rewrite_body(content, found, self.jobs)

    # --- writing ------------------------------------------------------------------

    def planned_outputs(self):
        """Every rendition and card, for the one-writer-per-path check; raises the problems
        found while making them."""
        self._plan_originals()
        if self.problems:
            raise ContentProblems(self.problems)
        return [PlannedOutput(path, self.writers[path], SITE) for path in sorted({*self.files, *self.originals})]

    def _plan_originals(self):
        # Called once all generators have read their content: the static files are known.
        # Only planned here: each is read and stripped as it is written, so a site's photos
        # are never all in memory at once.
        for static in self.context.get(ORIGINALS_KEY, []):
            relative = site_relative(static.source_path, self.site_root)
            self.originals[static.save_as] = (static.source_path, relative)
            self.writers[static.save_as] = f"the file {relative}"

    def _write_originals(self):
        problems = []
        for save_as, (source_path, relative) in sorted(self.originals.items()):
            try:
                with open(source_path, "rb") as handle:
                    data = stripped(handle.read())
            except (OSError, ValueError) as error:
                reason = error.strerror if isinstance(error, OSError) else "it is not a JPEG, PNG or WebP picture"
                fix = "export it again as JPEG, PNG or WebP"
                problems.append(Problem(relative, None, "file", f"cannot be published ({reason})", fix))
                continue
            write_bytes(self.output_path, save_as, data)
        if problems:  # the build stops; the last good output stays (tools/build.py)
            raise ContentProblems(problems)

    def generate_output(self, writer):
        """Write every rendition and card, and each original without its metadata."""
        for path in sorted(self.files):
            if isinstance(self.files[path], Path):  # a kept card (cardstore.py)
                copy_file(self.output_path, path, self.files[path])
            else:
                write_bytes(self.output_path, path, self.files[path])
            # Written: the bytes are not needed again (the dev server keeps this generator
            # between saves; at 10,000 posts the cards alone are half a gigabyte).
            self.files[path] = None
        self._write_originals()
