"""Each page's key: the digest of every input its rendering reads (for pagerecord.py).

A page of the articles generator (a post, a listing page) is rendered from a template and
a context. Its key is the digest of

- the site digest, one per build: this module's FORMAT, Python and every installed
  package's version, the source of every template the environment can load, the code of
  every plugin, the settings, the bytes of every file under PATH that is not a post read
  by the articles generator (profiles, pages, images, the published-URL record), and the
  URL, file and status of every content object and static file (a body's `{filename}`
  and `{static}` links resolve against them at render time, outside the page's context);
- the template's name;
- for every name the template, and every template it extends, includes or imports, reads
  from its context (Jinja's own analysis, jinja2.meta), the digest of that value
  (fingerprint.py: the value and the posts it reaches, with their fields and bodies);
  a template naming another by a runtime value may read anything, so then every value
  of the context counts.

Anything the digest of a value cannot describe makes the key None: the page is rendered.
When a key is unsure the page counts as changed; a page is taken from the previous build
only when every input it could read is as it was.
"""

import hashlib
import logging
import os
import sys
from importlib.metadata import distributions

from jinja2 import meta
from pelican.contents import Article

from .fingerprint import Fingerprinter, Volatile

logger = logging.getLogger(__name__)

# Bump when the meaning of a key changes: every older record is then ignored.
FORMAT = 1
# Settings whose value is where this one build writes, not what it writes.
# FASTBUILD_LIVE is the dev server's memory of the build (live.py), not an input.
PER_BUILD_SETTINGS = frozenset({"OUTPUT_PATH", "FASTBUILD_PREVIOUS_OUTPUT", "FASTBUILD_LIVE"})
EVERYTHING = None  # a template's names when it may read any value of the context


def _file_digest(path):
    hasher = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def _packages():
    found = sorted((dist.metadata["Name"] or "", dist.version) for dist in distributions())
    return repr((sys.version, found))


def _templates(environment):
    parts = []
    for name in sorted(environment.list_templates()):
        source, filename, _ = environment.loader.get_source(environment, name)
        parts.append((name, filename, source))
    return repr(parts)


def _plugin_code(settings):
    parts = []
    for folder in settings.get("PLUGIN_PATHS", []):
        for root, folders, files in os.walk(folder):
            folders.sort()
            parts += [(os.path.join(root, name), _file_digest(os.path.join(root, name))) for name in sorted(files)]
    return repr(parts)


def _content_files(settings, context):
    # Every file under PATH except the posts the articles generator read, whose fields
    # and bodies a page's digest holds where the page shows them.
    path = settings["PATH"]
    posts = {
        os.path.join(path, relative)
        for relative, content in context.get("generated_content", {}).items()
        if isinstance(content, Article)
    }
    parts = []
    for root, folders, files in os.walk(path):
        folders.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            if full not in posts:
                parts.append((os.path.relpath(full, path), _file_digest(full)))
    return repr(parts)


def _addresses(context):
    parts = []
    for group in ("generated_content", "static_content"):
        for relative, content in sorted(context.get(group, {}).items()):
            described = tuple(str(getattr(content, name, None)) for name in ("url", "save_as", "status"))
            parts.append((group, relative, type(content).__name__, described))
    return repr(parts)


class TemplateNames:
    """The context names each template of an environment reads (memoised)."""

    def __init__(self, environment):
        self.environment = environment
        self._names = {}

    def names(self, template_name):
        """The context names `template_name` and the templates it uses read, or EVERYTHING."""
        if template_name not in self._names:
            self._names[template_name] = EVERYTHING  # a template that uses itself ends here
            self._names[template_name] = self._read_names(template_name)
        return self._names[template_name]

    def _read_names(self, template_name):
        source, _, _ = self.environment.loader.get_source(self.environment, template_name)
        tree = self.environment.parse(source)
        names = set(meta.find_undeclared_variables(tree))
        for used in meta.find_referenced_templates(tree):
            if used is None:  # named by a runtime value: it could be any template
                return EVERYTHING
            more = self.names(used)
            if more is EVERYTHING:
                return EVERYTHING
            names |= more
        return frozenset(names)


class PageKeys:
    """The keys of one build's pages (one instance per build: digests are memoised)."""

    def __init__(self, settings, context, environment):
        self.fingerprints = Fingerprinter(settings)
        self.environment = environment
        self.names = TemplateNames(environment).names
        self.site = self._site_digest(settings, context, environment)

    def _site_digest(self, settings, context, environment):
        kept = {key: value for key, value in settings.items() if key not in PER_BUILD_SETTINGS}
        try:
            described = Fingerprinter().value(kept)
        except Volatile as volatile:
            logger.debug("fastbuild: every page is rendered: the settings hold a %s", volatile)
            return None
        hasher = hashlib.blake2b(digest_size=16)
        for part in (str(FORMAT), _packages(), _templates(environment), _plugin_code(settings)):
            hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(described.encode())
        for part in (_content_files(settings, context), _addresses(context)):
            hasher.update(part.encode("utf-8", "surrogatepass"))
        return hasher.digest()

    def key(self, template, local_context):
        """The key of a page rendered from `template` with `local_context`, or None."""
        if self.site is None or template.name is None:
            return None
        names = self.names(template.name)
        if names is EVERYTHING:
            names = local_context.keys()
        hasher = hashlib.blake2b(digest_size=20)
        hasher.update(self.site)
        hasher.update(template.name.encode())
        try:
            for name in sorted(names):
                hasher.update(b"\x00" + name.encode())
                if name in local_context:
                    hasher.update(self.fingerprints.value(local_context[name], name).encode())
                elif name in self.environment.globals:
                    hasher.update(b"g" + self.fingerprints.value(self.environment.globals[name]).encode())
                else:
                    hasher.update(b"<undefined>")
        except Volatile as volatile:
            logger.debug("fastbuild: %s is always rendered: its context holds a %s", template.name, volatile)
            return None
        return hasher.hexdigest()
