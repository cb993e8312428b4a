"""Every part of Pelican the fast path uses that Pelican does not promise to keep.

Pelican offers no signal for what fastbuild does, so the plugin leans on Pelican's
private names and on restating a few of its functions. All of it is here, one small
function per touch point, so the rest of fastbuild never reaches into Pelican itself,
and so an upgrade has one file to re-read:

- MarkdownReader._parse_metadata, and the `_md` and `_source_path` attributes it reads:
  `parse_markdown_metadata` (reader.py hands it what a worker converted);
- Generator.get_files run on a stand-in with Generator._include_path: `content_files`
  (reader.py lists the posts in the order the articles generator will read them);
- Readers.__init__'s choice of extensions, restated: `reader_extensions`;
- Content._get_intrasite_link_regex: `intrasite_link_regex` (summaries.py);
- the memoize cache of Content.get_summary, `get_summary.cache[(content, siteurl)]`:
  `remember_summary` (summaries.py);
- Writer._written_files and Writer._overridden_files: `written_and_overridden`
  (writer.py keeps Pelican's rules on pages overwriting one another);
- the module-level name pelican.generators.process_translations, which the generators
  call: `install_process_translations` (fastbuild.register);
- Generator._update_context: `update_context` (taxonomy.py);
- Content's override_url and override_save_as attributes, which get_url_setting answers
  with: `fix_url_and_save_as` (urls.py);
- the attributes in which Content and URLWrapper keep the whole site's settings and
  context (`settings`, `_context`), which fingerprint.py leaves out of a page's digest:
  `CONTENT_BACK_REFERENCES` and `URLWRAPPER_BACK_REFERENCES`;
- Pelican functions fastbuild does again in its own way: RESTATED, with the digest of
  each one's source as of SUPPORTED_PELICAN.

tests/test_pelican_internals.py holds one contract test per touch point. Upgrading
Pelican: run it, re-check what fails, then change SUPPORTED_PELICAN (and the digests).
Until then `supported()` is false and fastbuild.register connects nothing, so the build
is plain Pelican. Importing this module touches no private name: each is reached only
when its function is called.
"""

import hashlib
import importlib
import inspect
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace

import pelican
import pelican.generators
from pelican.generators import Generator
from pelican.readers import BaseReader

# The Pelican release whose internals this module was checked against.
SUPPORTED_PELICAN = "4.12.0"


def pelican_version():
    """The version of the Pelican this process imported."""
    return pelican.__version__


def supported():
    """Whether this Pelican is the one whose internals fastbuild was checked against.

    Read at each call, not once at import: fastbuild.register asks at every build."""
    return pelican_version() == SUPPORTED_PELICAN


def unsupported_message():
    """The warning fastbuild logs when it leaves a build to plain Pelican."""
    return (
        f"fastbuild: Pelican {pelican_version()} is not the version its internals were checked "
        f"against ({SUPPORTED_PELICAN}); building with plain Pelican"
    )


# --- Readers ---


class FormattedFields:
    """Stands in for the Markdown instance (`_md`) that MarkdownReader._parse_metadata
    converts the formatted fields with, answering from what a worker already converted."""

    class _Registry:
        def deregister(self, name, strict=True):
            """The meta preprocessor was already off when the fields were converted."""

    def __init__(self, formatted):
        self._formatted = formatted
        self.preprocessors = self._Registry()

    def reset(self):
        """Nothing to reset: each answer was converted from a reset instance."""
        return self

    def convert(self, text):
        """The HTML of a formatted field's text."""
        return self._formatted[text]


def parse_markdown_metadata(reader, source_path, meta, formatted):
    """The metadata MarkdownReader.read gives for `source_path`, from Python-Markdown's
    `meta` and `formatted` ({a formatted field's text: its HTML}), by MarkdownReader's own
    _parse_metadata: it converts formatted fields through `reader._md` and names
    `reader._source_path` in its warnings."""
    reader._source_path = source_path
    reader._md = FormattedFields(formatted)
    return reader._parse_metadata(meta)


def reader_extensions(settings):
    """The file extensions Pelican's Readers will read, as Readers.__init__ works them out
    (before readers_init, which only swaps classes here)."""
    classes = {}
    for reader_class in [BaseReader, *BaseReader.__subclasses__()]:
        if reader_class.enabled:
            for ext in reader_class.file_extensions:
                classes[ext] = reader_class
    classes.update(settings["READERS"])
    return [ext for ext, reader_class in classes.items() if reader_class]


def content_files(settings, paths, exclude):
    """Generator.get_files(paths, exclude=exclude) of a generator over settings["PATH"]
    that reads `reader_extensions(settings)`, without making a generator (which needs a
    theme, readers and templates). The set is built as a generator builds it, so it
    iterates in the same order in this process."""
    stand_in = SimpleNamespace(
        path=settings["PATH"],
        settings=settings,
        readers=SimpleNamespace(extensions=reader_extensions(settings)),
    )
    stand_in._include_path = partial(Generator._include_path, stand_in)
    return Generator.get_files(stand_in, paths, exclude=exclude)


def install_process_translations(replacement):
    """Make the generators call `replacement` for process_translations (the module-level
    name they call); return what it replaces, for a caller to put back the same way."""
    replaced = pelican.generators.process_translations
    pelican.generators.process_translations = replacement
    return replaced


def update_context(generator, names):
    """Put the generator's attributes `names` into its context as Pelican does at the
    end of generate_context: dicts as lists of pairs, anything else as the same object.
    (Generator's own method, which no generator of Pelican's overrides, called so that a
    stand-in with the same attributes works too.)"""
    Generator._update_context(generator, names)


# --- Content ---


def intrasite_link_regex(content):
    """The pattern Pelican finds `{filename}`-style links in `content`'s HTML with."""
    return content._get_intrasite_link_regex()


def remember_summary(content, summary):
    """Make `content.summary` (Content.get_summary for its current site URL) return
    `summary`, by storing it in the memoize cache get_summary answers from."""
    content.get_summary.cache[(content, content.get_siteurl())] = summary


def fix_url_and_save_as(content):
    """Give `content` the URL and file Pelican computes for it now, for every later use:
    Content.url and save_as answer override_url and override_save_as when they exist
    (as they do for a post whose URL: or Save_as: field set them, left alone here)."""
    if not hasattr(content, "override_url"):
        content.override_url = content.url
    if not hasattr(content, "override_save_as"):
        content.override_save_as = content.save_as


# The attributes of a Content (post, page) and of a URLWrapper (tag, category, author)
# that hold the whole site's settings and generation context, not the object's own data.
# A page's digest leaves them out: the site digest covers the settings, the templates and
# every content object's URL, and the rest of the context is hashed where a template
# reaches it by name (incremental.py).
CONTENT_BACK_REFERENCES = frozenset({"settings", "_context"})
URLWRAPPER_BACK_REFERENCES = frozenset({"settings"})


# --- Writer ---


def written_and_overridden(writer):
    """The sets in which Pelican's Writer notes the files it wrote and the files written
    with override_output, which decide whether a later page may overwrite one."""
    return writer._written_files, writer._overridden_files


# --- Pelican code fastbuild restates ---


@dataclass(frozen=True)
class Restatement:
    """A Pelican function fastbuild does again in its own way, and where."""

    pelican: str  # "module:Qualified.name"
    ours: str  # the code that restates it
    digest: str  # source_digest(pelican) as of SUPPORTED_PELICAN


RESTATED = (
    Restatement(
        "pelican.writers:Writer.write_file",
        "fastbuild.writer: ParallelWriter.write_file, _record and render_page",
        "6a604ad67bbeec99",
    ),
    Restatement("pelican.writers:Writer._open_w", "fastbuild.writer: ParallelWriter._claim", "69700ea0b4668663"),
    Restatement("pelican.readers:MarkdownReader.read", "fastbuild.reader: Converter", "1c8cfd04d8822d57"),
    Restatement(
        "pelican.readers:Readers.__init__", "fastbuild.pelican_internals: reader_extensions", "3026099450bc1e15"
    ),
    Restatement("pelican.contents:Content.get_summary", "fastbuild.summaries: SummaryRule", "4a3c3104bdebd41d"),
    Restatement(
        "pelican.utils:process_translations",
        "fastbuild.translations: process_translations (Pelican's, one group at a time)",
        "895f109099fe40b9",
    ),
    Restatement("pelican.utils:get_date", "fastbuild.reader: iso_date", "db6fb2df13e63d62"),
)


def pelican_function(target):
    """The function named by a Restatement's `pelican` ("module:Qualified.name")."""
    module_name, _, qualified = target.partition(":")
    found = importlib.import_module(module_name)
    for part in qualified.split("."):
        # Through __dict__: Content.get_summary is a memoized object, whose __get__
        # would hide the function behind a partial.
        found = vars(found)[part] if inspect.isclass(found) else getattr(found, part)
    return getattr(found, "func", found)  # memoized keeps the function as .func


def source_digest(target):
    """A short digest of the source text of the Pelican function `target` names."""
    source = inspect.getsource(pelican_function(target))
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]
