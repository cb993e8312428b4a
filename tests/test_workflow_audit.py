"""The publish workflow is locked down: zizmor, the GitHub Actions security auditor (pinned
in requirements-dev.txt), finds nothing in .github/workflows/, offline."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
# The one thing the pedantic "auditor" persona may still report, on purpose: the build's
# container image by tag (publish.yml says why).
ACCEPTED_BY_AUDITOR = {"unpinned-images"}


def zizmor_command():
    """The zizmor of this environment (the virtualenv's, beside its python)."""
    beside = Path(sys.executable).with_name("zizmor")
    found = str(beside) if beside.is_file() else shutil.which("zizmor")
    if found is None:
        pytest.fail("zizmor is not installed: pip install -r requirements-dev.txt")
    return found


def audit(folder, *options):
    """zizmor's findings for the workflows in `folder`, offline, as parsed JSON."""
    result = subprocess.run(
        [zizmor_command(), "--offline", "--no-exit-codes", "--format", "json", *options, str(folder)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def idents(findings):
    return sorted({finding["ident"] for finding in findings})


def test_zizmor_finds_nothing_in_the_workflows():
    assert sorted(path.name for path in WORKFLOWS.glob("*.yml")) == ["publish.yml"]
    assert audit(WORKFLOWS) == []


def test_the_auditor_persona_finds_only_what_the_workflow_explains():
    assert set(idents(audit(WORKFLOWS, "--persona", "auditor"))) <= ACCEPTED_BY_AUDITOR


def test_the_audit_would_catch_the_workflow_as_it_was(tmp_path):
    # Guards the tests above against passing because zizmor read nothing: the workflow with
    # its actions by tag and its checkout's credentials kept, as it was before issue 12.
    text = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    for pinned in text.split("uses: ")[1:]:
        action, _, rest = pinned.partition("@")
        text = text.replace(f"{action}@{rest.split()[0]}", f"{action}@v4")
    # The build's and the record job's checkouts' `with:` blocks, comments included, open with
    # persist-credentials (the due job's opens with its history options and keeps it).
    text, removed = re.subn(r"\n +with:\n(?: +#.*\n)* +persist-credentials: false", "", text)
    assert removed == 2
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "publish.yml").write_text(text, encoding="utf-8")

    findings = audit(folder)

    assert idents(findings) == ["artipacked", "unpinned-uses"]
    assert sum(finding["ident"] == "unpinned-uses" for finding in findings) == 6


def test_every_action_is_pinned_by_full_commit_with_its_release_named():
    lines = [line.strip() for line in (WORKFLOWS / "publish.yml").read_text(encoding="utf-8").splitlines()]
    uses = [line for line in lines if line.lstrip("- ").startswith("uses:")]
    assert len(uses) == 6  # three checkouts, the build caches, the Pages upload and the deployment
    for line in uses:
        reference, _, comment = line.partition("#")
        sha = reference.split("@", 1)[1].strip()
        assert len(sha) == 40 and all(c in "0123456789abcdef" for c in sha), line
        assert comment.strip().startswith("v"), f"{line}: name the release the commit is"


def test_the_build_cache_is_keyed_on_everything_it_is_not_checked_against():
    # A stale cache must never be used: the key's first part hashes the packages, settings,
    # theme, plugins and build tools; only the content may differ in a restored cache
    # (its entries and pages are checked against their inputs' bytes).
    import yaml

    steps = yaml.safe_load((WORKFLOWS / "publish.yml").read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    names = [step.get("name", "") for step in steps]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    options = cache["with"]
    assert options["path"].split() == ["cache", "output"]
    code_part, _, content_part = options["key"].rpartition("-")
    for pattern in ("'requirements*.txt'", "'*conf.py'", "'theme/**'", "'plugins/**'", "'tools/**'"):
        assert pattern in code_part
    assert content_part == "${{ hashFiles('content/**') }}"
    assert options["restore-keys"].strip() == code_part + "-"
    # Restored after the tests (they start with nothing) and before the build that uses it.
    position = steps.index(cache)
    assert names.index("Test") < position < names.index("Build for production (and add its new URLs to the record)")
