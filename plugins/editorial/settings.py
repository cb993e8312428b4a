"""The editorial plugin's settings: every one prefixed `EDITORIAL_`, declared once with its
default and its check (blogcore.config)."""

import re

from blogcore import errors
from blogcore.config import Option, OptionError, Schema, flag, folder, text, text_list, whole_number
from blogcore.markdown_guard import NAME as GUARD_EXTENSION


class SettingsError(errors.SettingsError):
    """One or more EDITORIAL_ settings are wrong; the message lists every one."""


def _credit_line(value):
    if not isinstance(value, str) or "{partner}" not in value:
        raise OptionError("must contain {partner}")
    return value


def _extensions(value):
    if not isinstance(value, list | tuple):
        raise OptionError(f"expected a list of extensions such as '.png', got {value!r}")
    wrong = [item for item in value if not (isinstance(item, str) and re.fullmatch(r"\.\w+", item))]
    if wrong:
        raise OptionError(f"expected extensions such as '.png', got {wrong!r}")
    return value


OPTIONS = {
    # The categories the site defines; a post's Category must be one of them.
    "EDITORIAL_CATEGORIES": text_list([]),
    # Folders under PATH holding the profiles (never read as articles).
    "EDITORIAL_AUTHORS_PATH": text("authors", allow_empty=False),
    "EDITORIAL_PARTNERS_PATH": text("partners", allow_empty=False),
    "EDITORIAL_SERIES_PATH": text("series", allow_empty=False),
    # Pages of profiles and series; `{slug}` is the profile's id.
    "EDITORIAL_PARTNER_URL": text("partner/{slug}/"),
    "EDITORIAL_PARTNER_SAVE_AS": text("partner/{slug}/index.html"),
    "EDITORIAL_PARTNERS_URL": text("partners/"),
    "EDITORIAL_PARTNERS_SAVE_AS": text("partners/index.html"),
    "EDITORIAL_SERIES_URL": text("series/{slug}/"),
    "EDITORIAL_SERIES_SAVE_AS": text("series/{slug}/index.html"),
    "EDITORIAL_SERIES_LIST_URL": text("series/"),
    "EDITORIAL_SERIES_LIST_SAVE_AS": text("series/index.html"),
    # The short site name used in credit lines ("{site} thanks our friends at ...").
    "EDITORIAL_SITE_NAME": text("YouTern", allow_empty=False),
    "EDITORIAL_CREDIT_LINE": Option("For this post, {site} thanks our friends at {partner}!", _credit_line),
    # rel of links to a partner whose profile names none.
    "EDITORIAL_DEFAULT_REL": text("nofollow"),
    "EDITORIAL_WORDS_PER_MINUTE": whole_number(230),
    "EDITORIAL_RELATED_POSTS": whole_number(3, minimum=0),
    # Sanity limits: a 1,000-word post is about 6 KB; Python-Markdown needs minutes for 10 MB.
    "EDITORIAL_MAX_POST_BYTES": whole_number(1_000_000),
    "EDITORIAL_MAX_FIELD_LENGTH": whole_number(1_000),
    "EDITORIAL_MAX_TAGS": whole_number(20),
    # Hosts staff posts may embed iframes from (guest posts may embed nothing).
    "EDITORIAL_IFRAME_HOSTS": text_list([]),
    # Keep each post's audit results between runs, keyed by its bytes, so a rebuild reads
    # and checks only the posts that changed. The command line (make html, make check)
    # turns it on; it lives in EDITORIAL_CACHE_PATH, or CACHE_PATH/editorial when None.
    "EDITORIAL_CACHE": flag(False),
    "EDITORIAL_CACHE_PATH": folder(None, allow_none=True),
    # The only file types the static folders (STATIC_PATHS: images/, extra/) may publish.
    # A static file is served at the site's own address, so an .html, .js or .css file
    # there would run (or style pages) as the site; SVGs are published only without code
    # (staticfiles.py). Lower-case extensions with their dot.
    "EDITORIAL_STATIC_TYPES": Option(
        [".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".svg", ".ico", ".pdf"], _extensions
    ),
}


def _sanitiser_mistakes(merged, settings):
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
    iframe_hosts = merged["EDITORIAL_IFRAME_HOSTS"]
    if sorted(configured) != sorted(iframe_hosts):
        return [
            f"Setting 'MARKDOWN': the iframe_hosts of '{GUARD_EXTENSION}' ({configured!r}) differ from "
            f"EDITORIAL_IFRAME_HOSTS ({list(iframe_hosts)!r}); pass EDITORIAL_IFRAME_HOSTS itself"
        ]
    return []


SCHEMA = Schema("EDITORIAL_", OPTIONS, error=SettingsError, checks=(_sanitiser_mistakes,))
DEFAULTS = SCHEMA.defaults


def editorial_settings(settings):
    """Return the EDITORIAL_ settings with defaults filled in, checked once.

    Raises SettingsError naming every wrong or unknown setting, not just the first.
    """
    return SCHEMA.load(settings)
