"""Security headers for hosts that read them: a Netlify/Cloudflare `_headers` file and an
nginx snippet, both from one policy so they never disagree.

The theme needs no inline script or style, so the Content-Security-Policy allows
scripts only from the site itself (JSON-LD blocks are data, not scripts) and frames only
from the hosts staff posts may embed (EDITORIAL_IFRAME_HOSTS).
"""

import os

from pelican import signals
from pelican.generators import Generator

DEFAULTS = {
    "SECURITY_HEADERS_FILE": "_headers",
    "SECURITY_HEADERS_NGINX_FILE": "security-headers.nginx.conf",
    "SECURITY_HEADERS_REFERRER_POLICY": "strict-origin-when-cross-origin",
}


def content_security_policy(frame_hosts):
    """The site's Content-Security-Policy: same-origin everything, no inline scripts."""
    frames = " ".join(f"https://{host}" for host in sorted(frame_hosts)) or "'none'"
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        f"frame-src {frames}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
    return "; ".join(directives)


def security_headers(settings):
    """The (name, value) pairs every page is served with."""
    frame_hosts = settings.get("EDITORIAL_IFRAME_HOSTS", [])
    referrer = settings.get("SECURITY_HEADERS_REFERRER_POLICY", DEFAULTS["SECURITY_HEADERS_REFERRER_POLICY"])
    return [
        ("Content-Security-Policy", content_security_policy(frame_hosts)),
        ("Referrer-Policy", referrer),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "SAMEORIGIN"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]


def netlify_headers(headers):
    """`_headers` syntax (Netlify, Cloudflare Pages): a path pattern, then indented headers."""
    return "/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers)


def nginx_headers(headers):
    """nginx `add_header` lines, to include in a server block."""
    lines = ["# Include inside the server { } block that serves the site."]
    lines += [f'add_header {name} "{value}" always;' for name, value in headers]
    return "\n".join(lines) + "\n"


class SecurityHeadersGenerator(Generator):
    """Writes the headers file and the nginx snippet at the output root."""

    def generate_output(self, writer):
        """Write both files from the one policy."""
        headers = security_headers(self.settings)
        files = {
            self.settings.get("SECURITY_HEADERS_FILE", DEFAULTS["SECURITY_HEADERS_FILE"]): netlify_headers(headers),
            self.settings.get("SECURITY_HEADERS_NGINX_FILE", DEFAULTS["SECURITY_HEADERS_NGINX_FILE"]): nginx_headers(
                headers
            ),
        }
        for name, text in files.items():
            with open(os.path.join(self.output_path, name), "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)


def security_headers_generator(pelican):
    """Add the generator of the headers files."""
    return SecurityHeadersGenerator


def register():
    """Connect the plugin's receivers."""
    signals.get_generators.connect(security_headers_generator)
