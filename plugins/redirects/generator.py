"""The Generator that writes the redirects, and the guard against pages written over them."""

import os
from pathlib import Path

from editorial.problems import ContentProblems, site_relative
from pelican.generators import Generator
from pelican.utils import sanitised_join

from .aliases import clash, collect_redirects
from .record import site_path
from .render import netlify_rules, nginx_rules, redirect_page, template_environment
from .settings import redirects_settings

# In the build's shared context: {absolute path of a redirect page: the Problem to report
# if another generator writes that file later}.
WRITTEN_KEY = "REDIRECTS_PAGES"


def _write(output_path, name, text):
    path = sanitised_join(output_path, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def theme_static_files(settings):
    """The output paths of the theme's static files, which Pelican copies after us."""
    theme, target = Path(settings["THEME"]), settings["THEME_STATIC_DIR"]
    files = []
    for name in settings["THEME_STATIC_PATHS"]:
        source = theme / name
        if source.is_file():
            files.append(f"{target}/{source.name}")
        elif source.is_dir():
            files.extend(f"{target}/{p.relative_to(source).as_posix()}" for p in source.rglob("*") if p.is_file())
    return files


class Described:
    """Text made when it is first shown: `template` filled with `describe(*args)`."""

    __slots__ = ("args", "describe", "template")

    def __init__(self, template, describe, *args):
        self.template, self.describe, self.args = template, describe, args

    def __str__(self):
        return self.template.format(self.describe(*self.args))


class RedirectsGenerator(Generator):
    """Writes a redirect page per alias, `_redirects` and the nginx snippet.

    Aliases are checked against every file already written, every post and page, and the
    static files Pelican copies last; a page another plugin writes later over a redirect
    is caught by `guard_redirect_pages`.
    """

    def published_contents(self):
        """Every post and page written at its own URL."""
        keys = ("articles", "hidden_articles", "pages", "hidden_pages")
        return [content for key in keys for content in self.context.get(key, [])]

    def site_files(self, contents, site_root):
        """{output file: what it is} for every file the site has written or will write.

        What a file is only matters when an alias clashes with it, and a large site has
        tens of thousands: each description is written out only when it is asked for.
        """
        files = {}
        output_path = os.path.normpath(self.output_path)
        for root, _, names in os.walk(output_path):
            folder = "" if root == output_path else root[len(output_path) + 1 :].replace(os.sep, "/") + "/"
            for name in names:
                files[folder + name] = Described("the site's page {}", site_path, folder + name)
        for static in self.context.get("staticfiles", []):
            files[static.save_as] = Described("the file {}", site_relative, static.source_path, site_root)
        for relative in theme_static_files(self.settings):
            files[relative] = f"the theme's file /{relative}"
        for content in contents:
            if content.save_as:
                files[content.save_as] = Described("{}", site_relative, content.source_path, site_root)
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
        written = {}
        for redirect in redirects:
            html = redirect_page(environment, redirect, site_url, self.settings.get("DEFAULT_LANG", "en"))
            _write(self.output_path, redirect.file, html)
            written[os.path.abspath(os.path.join(self.output_path, redirect.file))] = redirect
        self.context[WRITTEN_KEY] = written
        if options["REDIRECTS_NETLIFY_FILE"]:
            _write(self.output_path, options["REDIRECTS_NETLIFY_FILE"], netlify_rules(redirects))
        if options["REDIRECTS_NGINX_FILE"]:
            _write(self.output_path, options["REDIRECTS_NGINX_FILE"], nginx_rules(redirects))


def guard_redirect_pages(path, context):
    """Fail the build when a page is written over a redirect page (an alias that names a
    page a later plugin writes, such as /syndication/)."""
    redirect = (context.get(WRITTEN_KEY) or {}).get(os.path.abspath(path))
    if redirect is None:
        return
    site_root = Path(context["PATH"]).parent
    what = f"the site's page {site_path(redirect.file)}"
    raise ContentProblems([clash(redirect.source_path, redirect.alias, what, site_root)])
