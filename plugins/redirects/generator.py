"""The Generator that writes the redirects, and the guard against pages written over them."""

import os
from functools import partial
from pathlib import Path

from blogcore.output import write_text
from blogcore.outputs import ALIAS, Clash, PlannedOutput, shorten, site_path
from blogcore.problems import ContentProblems, Problem, site_relative
from pelican.generators import Generator

from .aliases import Redirect, clash, collect_redirects, header_line
from .record import record_fates, record_path
from .render import netlify_rules, nginx_rules, redirect_page, removed_page, template_environment
from .settings import redirects_settings

# In the build's shared context: {absolute path of a redirect page: the Problem to report
# if another generator writes that file later}.
WRITTEN_KEY = "REDIRECTS_PAGES"


class RedirectsGenerator(Generator):
    """Writes a redirect page per alias, `_redirects` and the nginx snippet.

    `planned_outputs` gives the build's check of output paths (editorial/outputs.py) every
    file it will write, before anything is written: an alias onto another post, a listing,
    a feed or a static or theme file is reported there, on the Aliases line. A page that
    some writer without a plan puts over a redirect anyway is caught by
    `guard_redirect_pages`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._redirects = None
        self._fates = None

    def published_contents(self):
        """Every post and page written at its own URL."""
        keys = ("articles", "hidden_articles", "pages", "hidden_pages")
        return [content for key in keys for content in self.context.get(key, [])]

    def redirects(self):
        """Every redirect of the build, worked out once; raises ContentProblems naming each
        alias that cannot be redirected, is its post's own URL or is claimed twice."""
        if self._redirects is None:
            site_root = Path(self.settings["PATH"]).parent
            redirects, problems = collect_redirects(self.published_contents(), site_root)
            if problems:
                raise ContentProblems(problems)
            self._redirects = redirects
        return self._redirects

    def fates(self):
        """The record lines that retire a page or redirect it (record.Fate), read once."""
        if self._fates is None:
            record_file = record_path(self.settings)
            self._fates = record_fates(record_file) if record_file and record_file.is_file() else []
        return self._fates

    def record_redirects(self):
        """A Redirect for each `-> /path/` line of the record."""
        record_file = str(record_path(self.settings))
        return [
            Redirect(fate.url, fate.file, fate.target, fate.target, record_file)
            for fate in self.fates()
            if fate.target is not None
        ]

    def planned_outputs(self):
        """The redirect pages (ranked below every other writer: an alias onto a taken path
        is the one to move) and the two host files, for the build's check of output paths."""
        options = redirects_settings(self.settings)
        site_root = Path(self.settings["PATH"]).parent
        outputs = [
            PlannedOutput(
                redirect.file,
                f"the redirect page of '{redirect.alias}'",
                ALIAS,
                partial(_alias_blame, redirect, site_root),
                redirect.source_path,
                redirect.target,
            )
            for redirect in self.redirects()
        ]
        record_name = site_relative(record_path(self.settings) or "", site_root)
        # Ranked with the aliases but after them (key "~"): a page published again, or an
        # alias, keeps the path, and the record line is the one to change.
        outputs.extend(
            PlannedOutput(
                fate.file,
                f"line {fate.line} of {record_name} ('{fate.url} {fate.words}')",
                ALIAS,
                partial(_fate_blame, fate, record_name),
                "~",
                fate.target or "",
            )
            for fate in self.fates()
        )
        for name, what in (
            ("REDIRECTS_NETLIFY_FILE", "the redirects file"),
            ("REDIRECTS_NGINX_FILE", "the nginx redirects snippet"),
        ):
            if options[name]:
                outputs.append(PlannedOutput(options[name], f"{what} /{options[name]}"))
        return outputs

    def generate_output(self, writer):
        """Write every redirect page and both host files."""
        options = redirects_settings(self.settings)
        redirects = sorted(self.redirects() + self.record_redirects())
        retired = [fate for fate in self.fates() if fate.target is None]
        environment = template_environment()
        site_url = self.settings.get("SITEURL", "")
        written = {}
        language = self.settings.get("DEFAULT_LANG", "en")
        # The site's policy travels in the settings (security_headers sets it at start-up).
        policy = self.settings.get("SECURITY_HEADERS_META_CSP", "")
        for redirect in redirects:
            html = redirect_page(environment, redirect, site_url, language, policy)
            write_text(self.output_path, redirect.file, html)
            written[os.path.abspath(os.path.join(self.output_path, redirect.file))] = redirect
        for fate in retired:
            write_text(self.output_path, fate.file, removed_page(environment, site_url, language, policy))
        self.context[WRITTEN_KEY] = written
        if options["REDIRECTS_NETLIFY_FILE"]:
            write_text(self.output_path, options["REDIRECTS_NETLIFY_FILE"], netlify_rules(redirects, retired))
        if options["REDIRECTS_NGINX_FILE"]:
            write_text(self.output_path, options["REDIRECTS_NGINX_FILE"], nginx_rules(redirects, retired))


def _alias_blame(redirect, site_root, found):
    # `found` is a blogcore Clash (the redirect page lands on what its holder writes) or
    # LongName (a name of the old path is longer than a file name may be).
    if isinstance(found, Clash):
        return clash(redirect.source_path, redirect.alias, found.holder.writer, site_root)
    return Problem(
        site_relative(redirect.source_path, site_root),
        header_line(redirect.source_path),
        "Aliases",
        f"'{shorten(redirect.alias)}' would write {found.describe()}",
        "delete it from Aliases",
    )


def _fate_blame(fate, record_name, found):
    # A retired or redirected URL that something else of the site writes again.
    if isinstance(found, Clash):
        return Problem(
            record_name,
            fate.line,
            "URL",
            f"{fate.url} is published again: {found.holder.writer} writes it",
            f"delete '{fate.words}' after it",
        )
    return Problem(
        record_name, fate.line, "URL", f"{fate.url} would write {found.describe()}", f"delete '{fate.words}' after it"
    )


def guard_redirect_pages(path, context):
    """Fail the build when a page is written over a redirect page: the last guard, for a
    writer that gives no plan of its files (every one the site has today does)."""
    redirect = (context.get(WRITTEN_KEY) or {}).get(os.path.abspath(path))
    if redirect is None:
        return
    site_root = Path(context["PATH"]).parent
    what = f"the site's page {site_path(redirect.file)}"
    raise ContentProblems([clash(redirect.source_path, redirect.alias, what, site_root)])
