"""The redirects plugin's settings: every one prefixed `REDIRECTS_`, defaults in one place."""

DEFAULTS = {
    # Files at the output root for hosts that serve real 301s; "" writes none.
    "REDIRECTS_NETLIFY_FILE": "_redirects",  # Netlify and Cloudflare Pages syntax
    "REDIRECTS_NGINX_FILE": "redirects.nginx.conf",  # `include` it inside a server { } block
    # The committed record of every published URL, relative to PATH; "" turns the check off.
    # It lives in content/ because it describes the content: a fixture site has its own.
    "REDIRECTS_RECORD": "published-urls.txt",
    # Output files that are not addresses readers keep (the 404 page is served for any).
    "REDIRECTS_RECORD_IGNORE": ["404.html"],
}

_EXPECTED_TYPES = {
    "REDIRECTS_NETLIFY_FILE": str,
    "REDIRECTS_NGINX_FILE": str,
    "REDIRECTS_RECORD": str,
    "REDIRECTS_RECORD_IGNORE": (list, tuple),
}


class RedirectsSettingsError(Exception):
    """One or more REDIRECTS_ settings are wrong; the message lists every one."""


def redirects_settings(settings):
    """Return the REDIRECTS_ settings with defaults filled in, checked once.

    Raises RedirectsSettingsError naming every wrong setting, not just the first.
    """
    merged = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
    mistakes = [
        f"Setting '{name}': expected {expected}, got {merged[name]!r}"
        for name, expected in _EXPECTED_TYPES.items()
        if not isinstance(merged[name], expected)
    ]
    for name in ("REDIRECTS_NETLIFY_FILE", "REDIRECTS_NGINX_FILE"):
        if isinstance(merged[name], str) and ("/" in merged[name] or merged[name].startswith(".")):
            mistakes.append(f"Setting '{name}': must be a plain file name at the output root")
    if mistakes:
        raise RedirectsSettingsError("\n".join(mistakes))
    return merged
