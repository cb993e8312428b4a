"""The security_headers plugin's settings: every one prefixed `SECURITY_HEADERS_`, declared once
with its default and its check (blogcore.config), checked at start-up with every mistake listed."""

import re

from blogcore import errors
from blogcore.config import Option, OptionError, Schema, file_name

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


class SecurityHeadersSettingsError(errors.SettingsError):
    """One or more SECURITY_HEADERS_ settings are wrong; the message lists every one."""


def _referrer_policy(value):
    if value not in REFERRER_POLICIES:
        raise OptionError(f"expected one of {', '.join(REFERRER_POLICIES)}, got {value!r}")
    return value


def _hsts(value):
    if value == "":
        return value
    directives = [part.strip() for part in value.split(";")] if isinstance(value, str) else None
    if (
        directives is None
        or not all(_HSTS_DIRECTIVE.fullmatch(part) for part in directives)
        or sum(part.lower().startswith("max-age=") for part in directives) != 1
        or len({part.lower() for part in directives}) != len(directives)
    ):
        raise OptionError(
            "expected 'max-age=<seconds>', optionally with "
            f"'; includeSubDomains' and '; preload', or '' for none, got {value!r}"
        )
    return value


def _frame_hosts(merged, settings):
    value = settings.get("EDITORIAL_IFRAME_HOSTS", [])
    if not isinstance(value, list | tuple):
        return  # the editorial plugin reports the type
    for host in value:
        if not isinstance(host, str) or not _HOST.fullmatch(host):
            yield (
                f"Setting 'EDITORIAL_IFRAME_HOSTS': {host!r} is not a host name such as 'player.vimeo.com' "
                "(the Content-Security-Policy's frame-src lists them)"
            )


def _different_files(merged, settings):
    if merged["SECURITY_HEADERS_FILE"] == merged["SECURITY_HEADERS_NGINX_FILE"]:
        yield "Setting 'SECURITY_HEADERS_NGINX_FILE': must differ from SECURITY_HEADERS_FILE"


OPTIONS = {
    # Files at the output root: `_headers` for Netlify and Cloudflare Pages, and an nginx
    # snippet to `include` in the server block (docs/deploying.md).
    "SECURITY_HEADERS_FILE": file_name("_headers"),
    "SECURITY_HEADERS_NGINX_FILE": file_name("security-headers.nginx.conf"),
    "SECURITY_HEADERS_REFERRER_POLICY": Option("strict-origin-when-cross-origin", _referrer_policy),
    # Browsers use HTTPS only for this host for two years, subdomains too. Mozilla's
    # Observatory wants at least six months; hstspreload.org wants a year, includeSubDomains
    # and preload. "" sends none (only for a site that is not served over HTTPS).
    "SECURITY_HEADERS_HSTS": Option("max-age=63072000; includeSubDomains; preload", _hsts),
}
SCHEMA = Schema(
    PREFIX,
    OPTIONS,
    error=SecurityHeadersSettingsError,
    checks=(_different_files, _frame_hosts),
    not_settings=(META_CSP,),
)
DEFAULTS = SCHEMA.defaults


def security_headers_settings(settings):
    """Return the SECURITY_HEADERS_ settings with defaults filled in (and the frame hosts,
    as EDITORIAL_IFRAME_HOSTS), checked once.

    Raises SecurityHeadersSettingsError naming every wrong or unknown setting, not just the first.
    """
    merged = SCHEMA.load(settings)
    frame_hosts = settings.get("EDITORIAL_IFRAME_HOSTS", [])
    merged["EDITORIAL_IFRAME_HOSTS"] = list(frame_hosts) if isinstance(frame_hosts, list | tuple) else []
    return merged
