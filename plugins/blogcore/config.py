"""Declared settings: each plugin lists its settings once, as options with a default and
a check, and gets them back merged and resolved, or one error listing every mistake.

MkDocs' config_options is the model: an option validates one value and raises
OptionError with what is wrong; the schema runs them all, adds the checks that look at
several settings at once, names settings it does not know (with a did-you-mean), and
raises the plugin's SettingsError with one "Setting 'NAME': ..." line per mistake.
"""

import difflib
import importlib
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .errors import SettingsError


class OptionError(ValueError):
    """One value is wrong; the message says what was expected and what was given."""


def _as_given(value):
    return value


@dataclass(frozen=True)
class Option:
    """A setting with a default; `check(value)` returns the value to use or raises OptionError."""

    default: object
    check: Callable = _as_given

    def resolve(self, value):
        """The value to use for `value` (the setting as given, or the default)."""
        return self.check(value)


def kind(default, types, described):
    """An option of one of `types` (bool is never a whole number), described in errors."""

    def check(value):
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            raise OptionError(f"expected {described}, got {value!r}")
        return value

    return Option(default, check)


def flag(default):
    """True or False."""
    return kind(default, (bool,), "True or False")


def whole_number(default, minimum=1, when_none=None):
    """A whole number from `minimum`; None allowed when `when_none` (a callable giving the
    value None stands for, such as the CPUs this process may use) is given."""

    def check(value):
        if value is None and when_none is not None:
            return when_none()
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            alternative = ", or None" if when_none is not None else ""
            raise OptionError(f"expected a whole number from {minimum}{alternative}, got {value!r}")
        return value

    return Option(default, check)


def text_list(default):
    """A list (or tuple) of strings."""

    def check(value):
        if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
            raise OptionError(f"expected a list of texts, got {value!r}")
        return value

    return Option(default, check)


def text(default, allow_empty=True):
    """A string."""

    def check(value):
        if not isinstance(value, str) or (not allow_empty and not value):
            raise OptionError(f"expected {'a text' if allow_empty else 'a non-empty text'}, got {value!r}")
        return value

    return Option(default, check)


def folder(default, allow_none=False):
    """A folder path (None allowed when `allow_none`: the plugin picks one)."""

    def check(value):
        if value is None and allow_none:
            return None
        if not isinstance(value, str | os.PathLike) or not str(value):
            raise OptionError(f"expected a folder path, got {value!r}")
        return value

    return Option(default, check)


def file_name(default, allow_empty=False):
    """A plain file name at the output root (no folder, not hidden); "" writes none when
    `allow_empty`."""

    def check(value):
        if allow_empty and value == "":
            return value
        if not isinstance(value, str) or not value or "/" in value or "\\" in value or value.startswith("."):
            raise OptionError(f"expected a plain file name at the output root, got {value!r}")
        return value

    return Option(default, check)


@dataclass
class Schema:
    """Every setting of one plugin: `prefix` (EDITORIAL_, ...), the options by name, the
    plugin's SettingsError class, checks over several settings (callables taking the merged
    settings and Pelican's, yielding messages that start with "Setting '...'"), and names
    with the prefix that are not settings but are expected in Pelican's settings."""

    prefix: str
    options: Mapping
    error: type = SettingsError
    checks: Iterable = ()
    not_settings: Iterable = field(default_factory=tuple)

    @property
    def defaults(self):
        """{name: default} of every option."""
        return {name: option.default for name, option in self.options.items()}

    def unknown(self, settings):
        """Messages for names with the prefix that are neither options nor not_settings."""
        known = set(self.options) | set(self.not_settings)
        # Compared without the prefix, which every name shares and would make any two alike.
        endings = [name[len(self.prefix) :] for name in self.options]
        for name in sorted(key for key in settings if key.startswith(self.prefix) and key not in known):
            close = difflib.get_close_matches(name[len(self.prefix) :], endings, n=1)
            hint = f"did you mean '{self.prefix}{close[0]}'?" if close else f"known settings: {', '.join(self.options)}"
            yield f"Setting '{name}': unknown setting; {hint}"

    def load(self, settings):
        """The plugin's settings from Pelican's `settings`, defaults filled in and resolved.

        Raises the schema's error listing every wrong or unknown setting, not just the first.
        """
        merged, mistakes = {}, list(self.unknown(settings))
        for name, option in self.options.items():
            value = settings.get(name, option.default)
            try:
                merged[name] = option.resolve(value)
            except OptionError as error:
                mistakes.append(f"Setting '{name}': {error}")
                merged[name] = option.default
        # A setting found wrong above stands at its default here, so every check can run.
        for check in self.checks:
            mistakes.extend(check(merged, settings))
        if mistakes:
            raise self.error("\n".join(mistakes))
        return merged


def check_plugin_settings(settings):
    """Check the settings of every plugin in PLUGINS that declares a SCHEMA (in its
    `settings` module) at once, raising one SettingsError with every plugin's mistakes."""
    mistakes = []
    for plugin in settings.get("PLUGINS", []):
        name = plugin if isinstance(plugin, str) else getattr(plugin, "__name__", "")
        try:
            module = importlib.import_module(f"{name}.settings")
        except ImportError:
            continue  # a plugin without declared settings
        schema = getattr(module, "SCHEMA", None)
        if isinstance(schema, Schema):
            try:
                schema.load(settings)
            except SettingsError as error:
                mistakes.extend(str(error).splitlines())
    if mistakes:
        raise SettingsError("\n".join(mistakes))
