"""The redirects plugin's settings: every one prefixed `REDIRECTS_`, declared once with its
default and its check (blogcore.config)."""

from blogcore import errors
from blogcore.config import Schema, file_name, text, text_list

OPTIONS = {
    # Files at the output root for hosts that serve real 301s; "" writes none.
    "REDIRECTS_NETLIFY_FILE": file_name("_redirects", allow_empty=True),  # Netlify and Cloudflare Pages syntax
    "REDIRECTS_NGINX_FILE": file_name("redirects.nginx.conf", allow_empty=True),  # `include` it in a server { }
    # The committed record of every published URL, relative to PATH; "" turns the check off.
    # It lives in content/ because it describes the content: a fixture site has its own.
    "REDIRECTS_RECORD": text("published-urls.txt"),
    # Output files that are not addresses readers keep (the 404 page is served for any).
    "REDIRECTS_RECORD_IGNORE": text_list(["404.html"]),
}


class RedirectsSettingsError(errors.SettingsError):
    """One or more REDIRECTS_ settings are wrong; the message lists every one."""


SCHEMA = Schema("REDIRECTS_", OPTIONS, error=RedirectsSettingsError)
DEFAULTS = SCHEMA.defaults


def redirects_settings(settings):
    """Return the REDIRECTS_ settings with defaults filled in, checked once.

    Raises RedirectsSettingsError naming every wrong or unknown setting, not just the first.
    """
    return SCHEMA.load(settings)
