"""The fastbuild plugin's settings: every one prefixed `FASTBUILD_`, defaults in one place."""

import os

from blogcore.workers import usable_cpus

DEFAULTS = {
    # Processes that convert Markdown and render pages; None uses every CPU this process
    # may run on. 1 does all the work in the build process, as Pelican alone does.
    "FASTBUILD_WORKERS": None,
    # Below this many posts to convert or pages to render, work stays in the build
    # process: starting workers would cost more than it saves.
    "FASTBUILD_MIN_BATCH": 64,
    # Keep converted Markdown between builds, keyed by each file's bytes, so a rebuild
    # converts only what changed. The command line (`make html`) turns it on.
    "FASTBUILD_CACHE": False,
    # Where the cache lives; None means CACHE_PATH/fastbuild (cache/ is git-ignored).
    "FASTBUILD_CACHE_PATH": None,
}


class FastbuildSettingsError(Exception):
    """One or more FASTBUILD_ settings are wrong; the message lists every one."""


def fastbuild_settings(settings):
    """Return the FASTBUILD_ settings with defaults filled in and resolved, checked once.

    Raises FastbuildSettingsError naming every wrong setting, not just the first.
    """
    merged = {name: settings.get(name, default) for name, default in DEFAULTS.items()}
    mistakes = []
    workers = merged["FASTBUILD_WORKERS"]
    if workers is None:
        merged["FASTBUILD_WORKERS"] = usable_cpus()
    elif not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        mistakes.append(f"Setting 'FASTBUILD_WORKERS': expected a whole number from 1, or None, got {workers!r}")
    batch = merged["FASTBUILD_MIN_BATCH"]
    if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
        mistakes.append(f"Setting 'FASTBUILD_MIN_BATCH': expected a whole number from 1, got {batch!r}")
    if not isinstance(merged["FASTBUILD_CACHE"], bool):
        mistakes.append(f"Setting 'FASTBUILD_CACHE': expected True or False, got {merged['FASTBUILD_CACHE']!r}")
    path = merged["FASTBUILD_CACHE_PATH"]
    if path is None:
        merged["FASTBUILD_CACHE_PATH"] = os.path.join(settings.get("CACHE_PATH", "cache"), "fastbuild")
    elif not isinstance(path, str | os.PathLike) or not str(path):
        mistakes.append(f"Setting 'FASTBUILD_CACHE_PATH': expected a folder path, got {path!r}")
    if mistakes:
        raise FastbuildSettingsError("\n".join(mistakes))
    return merged
