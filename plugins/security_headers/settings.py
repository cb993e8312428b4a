"""The security_headers plugin's settings: every one prefixed `SECURITY_HEADERS_`, defaults in
one place, checked once at start-up with every mistake listed."""

import difflib
import re

DEFAULTS = {
    # Files at the output root: `_headers` for Netlify and Cloudflare Pages, and an nginx
    # snippet to `include` in the server block (docs/deploying.md).
    "SECURITY_HEADERS_FILE": "_headers",
    "SECURITY_HEADERS_NGINX_FILE": "security-headers.nginx.conf",
    "SECURITY_HEADERS_REFERRER_POLICY": "strict-origin-when-cross-origin",
    # Browsers use HTTPS only for this host for two years, subdomains too. Mozilla's
    # Observatory wants at least six months; hstspreload.org wants a year, includeSubDomains
    # and preload. "" sends none (only for a site that is not served over HTTPS).
    "SECURITY_HEADERS_HSTS": "max-age=63072000; includeSubDomains; preload",
}
# Made by the plugin at start-up (the policy a <meta> may hold) for base.html; not a setting.
META_CSP = "SECURITY_HEADERS_META_CSP"
PREFIX = "SECURITY_HEADERS_"

# https://www.w3.org/TR/referrer-policy/#referrer-policies
REFERRER_POLICIES = (
    "no-referrer",
    "no-referrer-when-downgrade",
    "same-origin",
    "origin",
    "strict-origin",
    "origin-when-cross-origin",
    "strict-origin-when-cross-origin",
    "unsafe-url",
)
# RFC 6797 section 6.1 directives, plus the `preload` token of hstspreload.org.
_HSTS_DIRECTIVE = re.compile(r"max-age=\d+|includesubdomains|preload", re.IGNORECASE)
# What EDITORIAL_IFRAME_HOSTS entries become in frame-src: a host name, maybe a port.
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d+)?")


class SecurityHeadersSettingsError(Exception):
    """One or more SECURITY_HEADERS_ settings are wrong; the message lists every one."""


def _unknown(settings):
    known = [*DEFAULTS, META_CSP]
    # Compared without the prefix, which every name shares and would make any two alike.
    endings = [name[len(PREFIX) :] for name in DEFAULTS]
    for name in sorted(key for key in settings if key.startswith(PREFIX) and key not in known):
        close = difflib.get_close_matches(name[len(PREFIX) :], endings, n=1)
        hint = f"did you mean '{PREFIX}{close[0]}'?" if close else f"known settings: {', '.join(DEFAULTS)}"
        yield f"Setting '{name}': unknown setting; {hint}"


def _file_names(merged):
    for name in ("SECURITY_HEADERS_FILE", "SECURITY_HEADERS_NGINX_FILE"):
        value = merged[name]
        if not isinstance(value, str) or not value or "/" in value or "\\" in value or value.startswith("."):
            yield f"Setting '{name}': expected a plain file name at the output root, got {value!r}"


def _referrer_policy(value):
    if value not in REFERRER_POLICIES:
        choices = ", ".join(REFERRER_POLICIES)
        yield f"Setting 'SECURITY_HEADERS_REFERRER_POLICY': expected one of {choices}, got {value!r}"


def _hsts(value):
    if value == "":
        return
    directives = [part.strip() for part in value.split(";")] if isinstance(value, str) else None
    if (
        directives is None
        or not all(_HSTS_DIRECTIVE.fullmatch(part) for part in directives)
        or sum(part.lower().startswith("max-age=") for part in directives) != 1
        or len({part.lower() for part in directives}) != len(directives)
    ):
        yield (
            "Setting 'SECURITY_HEADERS_HSTS': expected 'max-age=<seconds>', optionally with "
            f"'; includeSubDomains' and '; preload', or '' for none, got {value!r}"
        )


def _frame_hosts(value):
    if not isinstance(value, list | tuple):
        return  # the editorial plugin reports the type
    for host in value:
        if not isinstance(host, str) or not _HOST.fullmatch(host):
            yield (
                f"Setting 'EDITORIAL_IFRAME_HOSTS': {host!r} is not a host name such as 'player.vimeo.com' "
                "(the Content-Security-Policy's frame-src lists them)"
            )


def security_headers_settings(settings):
    """Return the SECURITY_HEADERS_ settings with defaults filled in (and the frame hosts,
    as EDITORIAL_IFRAME_HOSTS), checked once.

    Raises SecurityHeadersSettingsError naming every wrong or unknown setting, not just the first.
    """
    merged = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
    frame_hosts = settings.get("EDITORIAL_IFRAME_HOSTS", [])
    mistakes = [
        *_unknown(settings),
        *_file_names(merged),
        *_referrer_policy(merged["SECURITY_HEADERS_REFERRER_POLICY"]),
        *_hsts(merged["SECURITY_HEADERS_HSTS"]),
        *_frame_hosts(frame_hosts),
    ]
    if merged["SECURITY_HEADERS_FILE"] == merged["SECURITY_HEADERS_NGINX_FILE"]:
        mistakes.append("Setting 'SECURITY_HEADERS_NGINX_FILE': must differ from SECURITY_HEADERS_FILE")
    if mistakes:
        raise SecurityHeadersSettingsError("\n".join(mistakes))
    merged["EDITORIAL_IFRAME_HOSTS"] = list(frame_hosts) if isinstance(frame_hosts, list | tuple) else []
    return merged
