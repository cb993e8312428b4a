"""The one problem type of the pipeline and its one-line report.

Every content mistake becomes a `Problem`: the file, the line where it can be
known, the field, what is wrong and how to fix it. Problems are collected for
the whole site and raised together as `ContentProblems`, so an editor sees
every mistake in one run.
"""

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import PipelineError

ERROR = "error"
WARNING = "warning"


# C0 and C1 control characters and DEL: printed as they are, a guest's ESC sequence in a
# link or a field would clear the editor's terminal over the other errors, or retitle it.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def printable(text):
    """`text` with every control character shown as an escape ('\\x1b'), one line."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def display_path(path):
    """Return `path` relative to the working directory when it lies below it."""
    return site_relative(path, Path.cwd())


def site_relative(path, site_root):
    """Return `path` as editors see it: relative to the site root (content/posts/x.md)."""
    # abspath, not resolve: a symlink is reported where it is, not where it points.
    # Both are normalised by abspath, so comparing strings is Path.relative_to, faster.
    path, root = os.path.abspath(path), os.path.abspath(site_root).rstrip(os.sep)
    if path.startswith(root + os.sep):
        path = path[len(root) + 1 :]
    return path.replace(os.sep, "/")


@dataclass(frozen=True)
class Problem:
    """One content mistake, located as precisely as the source allows."""

    path: str
    line: int | None
    field: str
    message: str
    fix: str = ""
    severity: str = ERROR

    def __str__(self):
        location = self.path
        if self.line:
            location += f":{self.line}"
        text = f"{location}: {self.field}: {self.message}"
        if self.fix:
            text += f"; {self.fix}"
        return printable(text)

    @property
    def sort_key(self):
        """File, then line (a problem without a line first), then field and message."""
        return (self.path, self.line or 0, self.field, self.message, self.fix, self.severity)

    @property
    def is_error(self):
        """True when this problem must stop the build."""
        return self.severity == ERROR


class ContentProblems(PipelineError):
    """Raised once per build with every error found in the content."""

    def __init__(self, problems):
        self.problems = sorted(problems, key=lambda problem: problem.sort_key)
        super().__init__(self.report())

    def report(self):
        """Return the multi-line report an editor reads."""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [str(problem) for problem in self.problems]
        lines.append(f"{count} content {noun}: fix them and build again.")
        return "\n".join(lines)


def did_you_mean(value, candidates):
    """Return the closest candidate to `value` (case-insensitive), or None."""
    by_key = {candidate.casefold(): candidate for candidate in candidates}
    wanted = value.casefold()
    matches = difflib.get_close_matches(wanted, by_key, n=1, cutoff=0.6)
    if matches:
        return by_key[matches[0]]
    # A shortened id ("acme" for "acme-hiring") is too short for a ratio match.
    # Candidates are tried in the caller's order, so callers list ids before names.
    prefixed = [key for key in by_key if len(wanted) >= 3 and key.startswith(wanted)]
    return by_key[prefixed[0]] if prefixed else None
