"""Security headers on every host: a Netlify/Cloudflare `_headers` file, an nginx snippet,
and the Content-Security-Policy for a <meta> in every page, all from one policy so they
never disagree (policy.py).

GitHub Pages and S3 send no headers at all, so the policy must also travel in the pages:
at start-up the plugin sets SECURITY_HEADERS_META_CSP (the policy without the directives a
<meta> may not hold), which Pelican copies into every template's context, and base.html
writes it into <head>.
"""

from blogcore.output import write_text
from pelican import signals
from pelican.generators import Generator

from .policy import (
    content_security_policy,
    meta_content_security_policy,
    netlify_headers,
    nginx_headers,
    security_headers,
)
from .settings import DEFAULTS, META_CSP, SecurityHeadersSettingsError, security_headers_settings

__all__ = [
    "DEFAULTS",
    "SecurityHeadersGenerator",
    "SecurityHeadersSettingsError",
    "check_settings_and_give_pages_the_policy",
    "content_security_policy",
    "meta_content_security_policy",
    "netlify_headers",
    "nginx_headers",
    "register",
    "security_headers",
]


def check_settings_and_give_pages_the_policy(pelican):
    """initialized: check the settings (raising with every mistake), then set
    SECURITY_HEADERS_META_CSP for the templates."""
    options = security_headers_settings(pelican.settings)
    meta = meta_content_security_policy(security_headers(options)[0][1])
    # A value already there is this plugin's own from an earlier build with these settings;
    # any other was typed into the settings, where it would be silently replaced.
    if pelican.settings.get(META_CSP, meta) != meta:
        raise SecurityHeadersSettingsError(
            f"Setting '{META_CSP}': is made from the policy by the security_headers plugin; remove it"
        )
    pelican.settings[META_CSP] = meta


class SecurityHeadersGenerator(Generator):
    """Writes the headers file and the nginx snippet at the output root."""

    def planned_outputs(self):
        """(path, what) of the files generate_output writes, for the build's check that no
        two writers share a path."""
        options = security_headers_settings(self.settings)
        names = (options["SECURITY_HEADERS_FILE"], options["SECURITY_HEADERS_NGINX_FILE"])
        return [(name, f"the security headers file /{name}") for name in names]

    def generate_output(self, writer):
        """Write both files from the one policy."""
        options = security_headers_settings(self.settings)
        headers = security_headers(options)
        files = {
            options["SECURITY_HEADERS_FILE"]: netlify_headers(headers),
            options["SECURITY_HEADERS_NGINX_FILE"]: nginx_headers(headers),
        }
        for name, text in files.items():
            write_text(self.output_path, name, text)


def security_headers_generator(pelican):
    """Add the generator of the headers files."""
    return SecurityHeadersGenerator


def register():
    """Connect the plugin's receivers."""
    signals.initialized.connect(check_settings_and_give_pages_the_policy)
    signals.get_generators.connect(security_headers_generator)
