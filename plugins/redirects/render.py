"""The outputs of the redirects: a page per alias and per redirected record line, a "This
post was removed" page per retired one, `_redirects`, and an nginx snippet.

Pages come from the plugin's own template, never the theme's, so a redirect looks the
same and stays tiny whatever the theme does; Jinja's autoescaping escapes every value.
"""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"
NETLIFY_HEADER = (
    "# Old URLs of moved posts and pages: written by the redirects plugin from their Aliases\n"
    "# and from content/published-urls.txt (`-> /new/` redirects, `retired` answers 410 Gone).\n"
)
NGINX_HEADER = (
    "# Old URLs of moved posts and pages: written by the redirects plugin from their Aliases\n"
    "# and from content/published-urls.txt (`-> /new/` redirects, `retired` answers 410 Gone).\n"
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


def removed_page(environment, site_url, lang, content_security_policy=""):
    """The HTML of the "This post was removed" page left at a retired URL."""
    return environment.get_template("removed.html").render(
        home=site_url.rstrip("/") + "/", lang=lang, content_security_policy=content_security_policy
    )


def netlify_rules(redirects, retired=()):
    """`_redirects` for Netlify and Cloudflare Pages: one `/old /new 301` line per alias, and
    per retired URL a forced `410!` rewrite to its removed page (the `!`: Netlify applies
    no rule to a path that has a file unless forced; Cloudflare Pages has no 410 and serves
    the page itself)."""
    lines = [f"{r.alias} {r.target} 301\n" for r in redirects]
    lines += [f"{fate.url} /{fate.file} 410!\n" for fate in retired]
    return NETLIFY_HEADER + "".join(lines)


def nginx_rules(redirects, retired=()):
    """An nginx snippet: one exact-match location returning a 301 per alias, and one
    returning 410 per retired URL, with its removed page as the body."""
    lines = [f"location = {r.alias} {{ return 301 {r.target}; }}\n" for r in redirects]
    for fate in retired:
        body = f"error_page 410 /{fate.file}; " if fate.url.endswith("/") else ""
        lines.append(f"location = {fate.url} {{ {body}return 410; }}\n")
    return NGINX_HEADER + "".join(lines)
