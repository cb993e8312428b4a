"""The fastbuild plugin's settings: every one prefixed `FASTBUILD_`, declared once with its
default and its check (blogcore.config)."""

import os

from blogcore import errors
from blogcore.config import Option, OptionError, Schema, flag, folder, whole_number
from blogcore.workers import usable_cpus


def _live_site(value):
    if value is not None and not callable(getattr(value, "keep_pages", None)):
        raise OptionError(f"expected None or a fastbuild.live.LiveSite, got {value!r}")
    return value


OPTIONS = {
    # Processes that convert Markdown and render pages; None uses every CPU this process
    # may run on. 1 does all the work in the build process, as Pelican alone does.
    "FASTBUILD_WORKERS": whole_number(None, when_none=usable_cpus),
    # Below this many posts to convert or pages to render, work stays in the build
    # process: starting workers would cost more than it saves.
    "FASTBUILD_MIN_BATCH": whole_number(64),
    # Keep converted Markdown between builds, keyed by each file's bytes, so a rebuild
    # converts only what changed. The command line (`make html`) turns it on.
    "FASTBUILD_CACHE": flag(False),
    # Where the cache lives; None means CACHE_PATH/fastbuild (cache/ is git-ignored).
    "FASTBUILD_CACHE_PATH": folder(None, allow_none=True),
    # The output folder of the previous build, whose unchanged pages this build may take
    # instead of rendering them (with FASTBUILD_CACHE; tools/build.py names it).
    "FASTBUILD_PREVIOUS_OUTPUT": folder(None, allow_none=True),
    # The dev server's LiveSite (live.py), which keeps this build's generators and pages
    # to show a later edit of a post's body without building again; None elsewhere.
    "FASTBUILD_LIVE": Option(None, _live_site),
}


class FastbuildSettingsError(errors.SettingsError):
    """One or more FASTBUILD_ settings are wrong; the message lists every one."""


SCHEMA = Schema("FASTBUILD_", OPTIONS, error=FastbuildSettingsError)
DEFAULTS = SCHEMA.defaults


def fastbuild_settings(settings):
    """Return the FASTBUILD_ settings with defaults filled in and resolved, checked once.

    Raises FastbuildSettingsError naming every wrong or unknown setting, not just the first.
    """
    merged = SCHEMA.load(settings)
    if merged["FASTBUILD_CACHE_PATH"] is None:
        merged["FASTBUILD_CACHE_PATH"] = os.path.join(settings.get("CACHE_PATH", "cache"), "fastbuild")
    return merged
