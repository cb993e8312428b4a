"""The three outputs of the redirects: a page per alias, `_redirects`, and an nginx snippet.

Pages come from the plugin's own template, never the theme's, so a redirect looks the
same and stays tiny whatever the theme does; Jinja's autoescaping escapes every value.
"""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"
NETLIFY_HEADER = "# Old URLs of moved posts and pages: written by the redirects plugin from their Aliases.\n"
NGINX_HEADER = (
    "# Old URLs of moved posts and pages: written by the redirects plugin from their Aliases.\n"
    "# Include it inside the site's server { } block: include /path/to/redirects.nginx.conf;\n"
)


def template_environment():
    """A Jinja environment over the plugin's templates, autoescaping HTML."""
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )


def redirect_page(environment, redirect, site_url, lang, content_security_policy=""):
    """The HTML of the page left at `redirect.alias`, pointing at its absolute target,
    carrying `content_security_policy` in a <meta> when there is one (the site's policy,
    which the security_headers plugin sets as SECURITY_HEADERS_META_CSP)."""
    return environment.get_template("redirect.html").render(
        url=site_url.rstrip("/") + redirect.target,
        title=redirect.title,
        lang=lang,
        content_security_policy=content_security_policy,
    )


def netlify_rules(redirects):
    """`_redirects` for Netlify and Cloudflare Pages: one `/old /new 301` line per alias."""
    return NETLIFY_HEADER + "".join(f"{r.alias} {r.target} 301\n" for r in redirects)


def nginx_rules(redirects):
    """An nginx snippet: one exact-match location returning a 301 per alias."""
    return NGINX_HEADER + "".join(f"location = {r.alias} {{ return 301 {r.target}; }}\n" for r in redirects)
