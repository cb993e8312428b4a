"""The editorial plugin's settings: every one prefixed `EDITORIAL_`, defaults in one place."""

import os
import re

from blogcore.markdown_guard import NAME as GUARD_EXTENSION

DEFAULTS = {
    # The categories the site defines; a post's Category must be one of them.
    "EDITORIAL_CATEGORIES": [],
    # Folders under PATH holding the profiles (never read as articles).
    "EDITORIAL_AUTHORS_PATH": "authors",
    "EDITORIAL_PARTNERS_PATH": "partners",
    "EDITORIAL_SERIES_PATH": "series",
    # Pages of profiles and series; `{slug}` is the profile's id.
    "EDITORIAL_PARTNER_URL": "partner/{slug}/",
    "EDITORIAL_PARTNER_SAVE_AS": "partner/{slug}/index.html",
    "EDITORIAL_PARTNERS_URL": "partners/",
    "EDITORIAL_PARTNERS_SAVE_AS": "partners/index.html",
    "EDITORIAL_SERIES_URL": "series/{slug}/",
    "EDITORIAL_SERIES_SAVE_AS": "series/{slug}/index.html",
    "EDITORIAL_SERIES_LIST_URL": "series/",
    "EDITORIAL_SERIES_LIST_SAVE_AS": "series/index.html",
    # The short site name used in credit lines ("{site} thanks our friends at ...").
    "EDITORIAL_SITE_NAME": "YouTern",
    "EDITORIAL_CREDIT_LINE": "For this post, {site} thanks our friends at {partner}!",
    # rel of links to a partner whose profile names none.
    "EDITORIAL_DEFAULT_REL": "nofollow",
    "EDITORIAL_WORDS_PER_MINUTE": 230,
    "EDITORIAL_RELATED_POSTS": 3,
    # Sanity limits: a 1,000-word post is about 6 KB; Python-Markdown needs minutes for 10 MB.
    "EDITORIAL_MAX_POST_BYTES": 1_000_000,
    "EDITORIAL_MAX_FIELD_LENGTH": 1_000,
    "EDITORIAL_MAX_TAGS": 20,
    # Hosts staff posts may embed iframes from (guest posts may embed nothing).
    "EDITORIAL_IFRAME_HOSTS": [],
    # Keep each post's audit results between runs, keyed by its bytes, so a rebuild reads
    # and checks only the posts that changed. The command line (make html, make check)
    # turns it on; it lives in EDITORIAL_CACHE_PATH, or CACHE_PATH/editorial when None.
    "EDITORIAL_CACHE": False,
    "EDITORIAL_CACHE_PATH": None,
    # The only file types the static folders (STATIC_PATHS: images/, extra/) may publish.
    # A static file is served at the site's own address, so an .html, .js or .css file
    # there would run (or style pages) as the site; SVGs are published only without code
    # (staticfiles.py). Lower-case extensions with their dot.
    "EDITORIAL_STATIC_TYPES": [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".svg", ".ico", ".pdf"],
}

_EXPECTED_TYPES = {
    "EDITORIAL_CATEGORIES": (list, tuple),
    "EDITORIAL_WORDS_PER_MINUTE": int,
    "EDITORIAL_RELATED_POSTS": int,
    "EDITORIAL_MAX_POST_BYTES": int,
    "EDITORIAL_MAX_FIELD_LENGTH": int,
    "EDITORIAL_MAX_TAGS": int,
    "EDITORIAL_IFRAME_HOSTS": (list, tuple),
    "EDITORIAL_CACHE": bool,
    "EDITORIAL_CACHE_PATH": (str, os.PathLike, type(None)),
    "EDITORIAL_STATIC_TYPES": (list, tuple),
}


class SettingsError(Exception):
    """One or more EDITORIAL_ settings are wrong; the message lists every one."""


def editorial_settings(settings):
    """Return the EDITORIAL_ settings with defaults filled in, checked once.

    Raises SettingsError naming every wrong setting, not just the first.
    """
    merged = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
    mistakes = []
    for name, expected in _EXPECTED_TYPES.items():
        if not isinstance(merged[name], expected):
            mistakes.append(f"Setting '{name}': expected {expected}, got {merged[name]!r}")
    for name in ("EDITORIAL_WORDS_PER_MINUTE",):
        if isinstance(merged[name], int) and merged[name] <= 0:
            mistakes.append(f"Setting '{name}': must be a positive number")
    if isinstance(merged["EDITORIAL_STATIC_TYPES"], list | tuple):
        wrong = [t for t in merged["EDITORIAL_STATIC_TYPES"] if not (isinstance(t, str) and re.fullmatch(r"\.\w+", t))]
        if wrong:
            mistakes.append(f"Setting 'EDITORIAL_STATIC_TYPES': expected extensions such as '.png', got {wrong!r}")
    if "{partner}" not in str(merged["EDITORIAL_CREDIT_LINE"]):
        mistakes.append("Setting 'EDITORIAL_CREDIT_LINE': must contain {partner}")
    mistakes.extend(_sanitiser_mistakes(settings, merged["EDITORIAL_IFRAME_HOSTS"]))
    if mistakes:
        raise SettingsError("\n".join(mistakes))
    return merged


def _sanitiser_mistakes(settings, iframe_hosts):
    """Every body is sanitised by the Markdown extension GUARD_EXTENSION: a site whose
    MARKDOWN setting lacks it would publish guest HTML as written, so it does not build."""
    configs = settings.get("MARKDOWN", {}).get("extension_configs", {})
    if GUARD_EXTENSION not in configs:
        return [
            f"Setting 'MARKDOWN': extension_configs must hold '{GUARD_EXTENSION}' (the sanitiser every "
            f'post body goes through); add "{GUARD_EXTENSION}": {{"iframe_hosts": EDITORIAL_IFRAME_HOSTS}} '
            "as pelicanconf.py does"
        ]
    configured = list(configs[GUARD_EXTENSION].get("iframe_hosts", []))
    if sorted(configured) != sorted(iframe_hosts):
        return [
            f"Setting 'MARKDOWN': the iframe_hosts of '{GUARD_EXTENSION}' ({configured!r}) differ from "
            f"EDITORIAL_IFRAME_HOSTS ({list(iframe_hosts)!r}); pass EDITORIAL_IFRAME_HOSTS itself"
        ]
    return []
