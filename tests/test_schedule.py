"""Scheduled posts: the publish workflow's 15-minute check (tools/due.py) and `make scheduled`
(tools/scheduled.py), on fixture posts with an injected "now", never the clock."""

import subprocess
import sys

import pytest
from support import ROOT, minimal_files, post, write_site

SETTINGS = """\
PATH = "content"
ARTICLE_PATHS = ["posts"]
ARTICLE_EXCLUDES = ["authors", "partners", "series"]
TIMEZONE = "America/Los_Angeles"
"""


@pytest.fixture
def site(tmp_path):
    """A site with a published post, two scheduled ones and a draft; returns its settings file."""
    files = minimal_files()
    files["authors/bo-editor.md"] = "Name: Bo Editor\n\nBo edits.\n"
    files["posts/later.md"] = post("Later Post", Date="2026-12-09 09:00", Authors="bo-editor, ada-writer")
    files["posts/soon.md"] = post("Soon Post", Date="2026-12-02 09:00")
    files["posts/draft.md"] = post("Draft Post", Date="2026-11-20 10:30", Status="draft", Authors="bo-editor")
    files["posts/past-draft-date.md"] = post("Old Draft", Date="2026-12-02 09:05", Status="draft")
    write_site(tmp_path, files)
    settings = tmp_path / "settings.py"
    settings.write_text(SETTINGS, encoding="utf-8")
    return settings


def run(tool, settings, *args):
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / tool), "--settings", str(settings), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_due_when_a_date_fell_in_the_last_15_minutes(site):
    # 09:00 Los Angeles is 17:00 UTC; the schedule runs at 17:10.
    result = run("due.py", site, "--now", "2026-12-02T17:10:00+00:00")
    assert result.returncode == 0
    assert result.stdout == "due=true\n"
    assert result.stderr == "due: content/posts/soon.md: Date 2026-12-02 09:00 (Soon Post)\n"


def test_not_due_before_the_date(site):
    result = run("due.py", site, "--now", "2026-12-02T08:59-08:00")
    assert (result.returncode, result.stdout) == (0, "due=false\n")
    assert result.stderr == "nothing due between 2026-12-02T08:44:00-08:00 and 2026-12-02T08:59:00-08:00\n"


def test_not_due_once_published_since_the_date(site):
    # The record was last committed at 09:02, after the post went live: nothing to do.
    result = run("due.py", site, "--since", "2026-12-02T09:02-08:00", "--now", "2026-12-02T09:30-08:00")
    assert result.stdout == "due=false\n"


def test_a_missed_run_is_caught_up_from_the_last_publish(site):
    # Hours of failed or skipped runs: the window starts at the last publish, not 15 minutes ago.
    result = run("due.py", site, "--since", "2026-12-01T12:00-08:00", "--now", "2026-12-02T13:00-08:00")
    assert result.stdout == "due=true\n"
    assert "content/posts/soon.md" in result.stderr


def test_a_draft_is_never_due(site):
    # Old Draft's Date (09:05) falls in the window, but it is Status: draft.
    result = run("due.py", site, "--since", "2026-12-02T09:01-08:00", "--now", "2026-12-02T09:10-08:00")
    assert result.stdout == "due=false\n"


def test_an_unreadable_date_counts_as_due(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Date="next tuesday")
    write_site(tmp_path, files)
    (tmp_path / "settings.py").write_text(SETTINGS, encoding="utf-8")
    result = run("due.py", tmp_path / "settings.py", "--now", "2026-12-02T09:00-08:00")
    assert result.stdout == "due=true\n"
    assert result.stderr == "due: content/posts/a-post.md: Date (no valid Date) (A Post)\n"


def test_a_bad_option_fails_with_its_name(site):
    result = run("due.py", site, "--since", "yesterday")
    assert result.returncode == 1
    assert result.stderr == "--since: 'yesterday' is not a date such as 2026-12-02T09:00-08:00\n"


def test_scheduled_lists_scheduled_then_drafts_by_date_with_author_names(site):
    result = run("scheduled.py", site, "--now", "2026-12-01T12:00-08:00")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "Scheduled (2; each goes live within 15 minutes of its Date, America/Los_Angeles):",
        "  2026-12-02 09:00  Ada Writer  Soon Post  content/posts/soon.md",
        "  2026-12-09 09:00  Bo Editor, Ada Writer  Later Post  content/posts/later.md",
        "Drafts (2; Status: draft, never published until you remove it):",
        "  2026-11-20 10:30  Bo Editor  Draft Post  content/posts/draft.md",
        "  2026-12-02 09:05  Ada Writer  Old Draft  content/posts/past-draft-date.md",
    ]


def test_scheduled_says_none_when_nothing_is_held_back(tmp_path):
    write_site(tmp_path, minimal_files())
    (tmp_path / "settings.py").write_text(SETTINGS, encoding="utf-8")
    result = run("scheduled.py", tmp_path / "settings.py", "--now", "2026-12-01T12:00-08:00")
    assert result.stdout.splitlines() == [
        "Scheduled (0; each goes live within 15 minutes of its Date, America/Los_Angeles):",
        "  none",
        "Drafts (0; Status: draft, never published until you remove it):",
        "  none",
    ]


def test_make_scheduled_reads_the_real_site():
    result = subprocess.run(
        ["make", "--no-print-directory", "STAMP=", "scheduled"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Scheduled (")
    assert "Drafts (" in result.stdout


def test_workflow_runs_every_15_minutes_and_asks_due_first():
    workflow = (ROOT / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    assert '- cron: "*/15 * * * *"' in workflow
    assert '"$RUNNER_TEMP/due/bin/python" tools/due.py --settings publishconf.py' in workflow
    assert "needs.due.outputs.due == 'true'" in workflow
