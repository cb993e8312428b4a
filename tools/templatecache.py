"""Compiled theme templates kept between builds, for `make check` and the dev server.

Pelican compiles every template afresh on each build, half of a small site's build time.
Jinja's FileSystemBytecodeCache keys each entry on the template's source, so an edited
template is compiled again and the pages stay byte-identical.
"""

from pathlib import Path

from jinja2 import FileSystemBytecodeCache


def with_template_cache(settings, overrides, folder):
    """`overrides` plus a JINJA_ENVIRONMENT (the one of `settings`) whose compiled
    templates are kept in `folder`; `overrides` unchanged when the folder cannot be made."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError:
        return dict(overrides or {})
    jinja = {**settings["JINJA_ENVIRONMENT"], "bytecode_cache": FileSystemBytecodeCache(str(folder))}
    return {**(overrides or {}), "JINJA_ENVIRONMENT": jinja}
