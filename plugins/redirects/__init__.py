"""Redirects plugin: moving a post never breaks its old URL (DESIGN.md "URLs").

For each alias of each published post and page it writes a redirect page at the old
path (meta refresh, canonical link, noindex), plus `_redirects` (Netlify, Cloudflare
Pages) and an nginx snippet for hosts that serve real 301s. After the build it checks
the committed record of published URLs (record.py) so that no URL silently disappears.

Why our own plugin: the published ones (pelican-alias, pelican-redirect) write meta-refresh
pages only, with no host redirect files and no record of published URLs, and read their
own headers (Alias, original_url) rather than the content model's Aliases.
"""

import os
from pathlib import Path

from editorial.problems import ContentProblems, site_relative
from pelican import signals
from pelican.generators import Generator
from pelican.utils import sanitised_join

from .aliases import collect_redirects
from .record import enforce_record, site_path
from .render import netlify_rules, nginx_rules, redirect_page, template_environment
from .settings import redirects_settings


def _write(output_path, name, text):
    path = sanitised_join(output_path, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


class RedirectsGenerator(Generator):
    """Writes a redirect page per alias, `_redirects` and the nginx snippet.

    It runs after the article, page and editorial generators (it is registered after
    them), so every page the site writes itself is on disk to check aliases against.
    """

    def published_contents(self):
        """Every post and page written at its own URL."""
        keys = ("articles", "hidden_articles", "pages", "hidden_pages")
        return [content for key in keys for content in self.context.get(key, [])]

    def site_files(self, contents, site_root):
        """{output file: what it is} for every file the site has written or will write."""
        files = {}
        for root, _, names in os.walk(self.output_path):
            for name in names:
                relative = os.path.relpath(os.path.join(root, name), self.output_path).replace(os.sep, "/")
                files[relative] = f"the site's page {site_path(relative)}"
        for content in contents:
            if content.save_as:
                files[content.save_as] = site_relative(content.source_path, site_root)
        return files

    def generate_output(self, writer):
        """Write every redirect, or raise ContentProblems naming each clashing alias."""
        options = redirects_settings(self.settings)
        contents = self.published_contents()
        site_root = Path(self.settings["PATH"]).parent
        redirects, problems = collect_redirects(contents, self.site_files(contents, site_root), site_root)
        if problems:
            raise ContentProblems(problems)
        environment = template_environment()
        site_url = self.settings.get("SITEURL", "")
        for redirect in redirects:
            html = redirect_page(environment, redirect, site_url, self.settings.get("DEFAULT_LANG", "en"))
            _write(self.output_path, redirect.file, html)
        if options["REDIRECTS_NETLIFY_FILE"]:
            _write(self.output_path, options["REDIRECTS_NETLIFY_FILE"], netlify_rules(redirects))
        if options["REDIRECTS_NGINX_FILE"]:
            _write(self.output_path, options["REDIRECTS_NGINX_FILE"], nginx_rules(redirects))


def redirects_generator(pelican):
    """Add the redirects generator."""
    return RedirectsGenerator


def check_published_urls(pelican):
    """After the whole site is written, fail the build if a recorded URL is gone."""
    enforce_record(pelican.settings, pelican.output_path)


def register():
    """Connect the plugin's receivers."""
    signals.get_generators.connect(redirects_generator)
    signals.finalized.connect(check_published_urls)
