"""Which content files git sees as new or changed: the files an editor is working on.

The audit asks once per run, to blame a duplicate (slug, Id, series part) on the file
being written rather than on the published one it copied.
"""

import subprocess
from pathlib import Path

GIT_TIMEOUT_SECONDS = 30


def _git(folder, *args):
    # The output of `git -C folder args`, or None when git is missing or says no.
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            check=False,
            timeout=GIT_TIMEOUT_SECONDS,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def changed_files(folder):
    """The resolved paths of the untracked, added or modified files of the git repository
    holding `folder` (from one `git status --porcelain`), or None when git is not installed
    or `folder` is not in a repository."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    status = _git(folder, "status", "--porcelain", "-z", "--untracked-files=all")
    if status is None:
        return None
    root = Path(top.decode("utf-8", "surrogateescape").strip())
    changed, entries = set(), iter(status.decode("utf-8", "surrogateescape").split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            next(entries, None)  # a rename or copy is followed by the path it came from
        if "D" not in code:
            changed.add((root / path).resolve())
    return frozenset(changed)
