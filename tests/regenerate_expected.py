"""Regenerate the whole-site test's expected output from its fixture content.

    make expected        (runs: .venv/bin/python -m tests.regenerate_expected)

tests/test_full_site.py builds tests/fixtures/full-site/content/ with the real
pelicanconf.py through tools.build.build and compares every file with
tests/fixtures/full-site/expected/. After a deliberate change to the output (a template,
a plugin, the fixture), run this, then review the change as a diff (`git diff --stat
tests/fixtures/full-site/expected/`, then `git diff` of the files it names) and commit
it with the change that caused it.

The site is built twice into temporary folders; the expected output is replaced only when
both builds are byte-identical and no file names a path of this machine.
"""

import locale
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # support.py, when run with -m

from support import ROOT, build_site, files_under, folder_differences

FIXTURE = ROOT / "tests" / "fixtures" / "full-site"
CONTENT = FIXTURE / "content"
EXPECTED = FIXTURE / "expected"
# The real settings, with the test site's URL; month names in dates follow the locale,
# so the output is pinned to the C locale whatever the machine's is (as Pelican's own
# whole-site test does).
OVERRIDES = {"LOCALE": ["C.UTF-8", "C"]}


@contextmanager
def locale_kept():
    """Restore the process's locale afterwards: Pelican sets it from LOCALE for good."""
    saved = locale.setlocale(locale.LC_ALL)
    try:
        yield
    finally:
        locale.setlocale(locale.LC_ALL, saved)


def build_full_site(output):
    """Build the fixture site into `output` as `make html` would (fastbuild added), with
    SITEURL https://blog.example.test; return `output`."""
    with locale_kept():
        build_site(CONTENT, output, **OVERRIDES)
    return Path(output)


def machine_paths(output, *extra):
    """{file: [paths]} for each file under `output` that names the repository, the output
    folder, the temporary folder, the home folder or one of `extra` (paths of this machine)."""
    needles = {str(ROOT), str(Path(output).resolve()), tempfile.gettempdir(), str(Path.home()), *map(str, extra)}
    found = {}
    for name, data in sorted(files_under(output).items()):
        hits = sorted(needle for needle in needles if needle.encode() in data)
        if hits:
            found[name] = hits
    return found


def regenerate():
    """Build the fixture twice, check the builds agree and name no local path, and put
    the result in EXPECTED. Returns a process exit status."""
    with tempfile.TemporaryDirectory(prefix="full-site-") as folder:
        first = build_full_site(Path(folder) / "first")
        second = build_full_site(Path(folder) / "second")
        differences = folder_differences(first, second)
        if differences:
            print(f"Two builds of the fixture differ; nothing was changed:\n{differences}", file=sys.stderr)
            return 1
        paths = machine_paths(first, folder)
        if paths:
            lines = "\n".join(f"  {name}: {', '.join(hits)}" for name, hits in paths.items())
            print(f"The output names paths of this machine; nothing was changed:\n{lines}", file=sys.stderr)
            return 1
        changes = folder_differences(EXPECTED, first, shown=0) if EXPECTED.exists() else "everything (new)"
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(first, EXPECTED)
    count = len(files_under(EXPECTED))
    print(f"Wrote {count} files to {EXPECTED.relative_to(ROOT)}.")
    print(f"Changed: {changes}" if changes else "No file changed.")
    return 0


if __name__ == "__main__":
    sys.exit(regenerate())
