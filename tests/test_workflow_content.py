"""The editors' make targets, run for real in a temporary copy of the repository.

newpost, newauthor, newpartner, preview, hooks, and what html/publish say about the
posts they hold back. Each test copies the working tree (without .venv, output and
.git), links the project's .venv into it and runs `make` there, so nothing touches
the repository itself.
"""

import datetime as datetime_module
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import types
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pelican.contents
import pytest
from support import ROOT, clean_env, copy_repository, minimal_files, overrides_for, post, run_make, soup, write_site

from tools.build import COMMAND_LINE_CACHES, build
from tools.progress import BuildReport

SITE_TIMEZONE = ZoneInfo("America/Los_Angeles")  # pelicanconf.TIMEZONE
SUMMARY = re.compile(
    r"^Built (?P<posts>\d+) posts, (?P<pages>\d+) pages, (?P<feeds>\d+) feeds in \d+\.\d\d s: "
    r"(?P<warnings>\d+) warnings, (?P<held>\d+) held back\.$"
)
# The fields of DESIGN.md's content model, plus Id (the feed GUID).
CONTENT_MODEL = (
    "Title", "Id", "Date", "Modified", "Category", "Tags", "Authors", "Partner", "Series", "Series_index",
    "Summary", "Image", "Image_alt", "Image_credit", "Image_credit_url", "Slug", "Aliases", "Canonical",
    "Syndicate", "Status",
)  # fmt: skip


@pytest.fixture
def repo(tmp_path):
    """A copy of the working tree with the project's .venv linked in."""
    return copy_repository(tmp_path / "repo")


def make(repo, *args, env=None):
    """Run `make ARGS` in `repo`; return the CompletedProcess (text)."""
    return run_make(repo, *args, env=env, timeout=120)


def header(path):
    """The `Key: value` header of a content file, as a dict."""
    text = Path(path).read_text(encoding="utf-8")
    lines = text.split("\n\n", 1)[0].splitlines()
    return dict(line.split(": ", 1) for line in lines)


def post_files(repo):
    return sorted(path.name for path in (repo / "content" / "posts").iterdir())


def write_post(repo, name, **fields):
    path = repo / "content" / "posts" / name
    path.write_text(post(**{"Authors": "will-thomson", **fields}), encoding="utf-8")
    return path


def future(days=400):
    return (datetime.now(SITE_TIMEZONE) + timedelta(days=days)).strftime("%Y-%m-%d %H:%M")


# --- make newpost -------------------------------------------------------------------------


def test_newpost_writes_a_draft_with_every_field_of_the_content_model(repo):
    started = datetime.now(SITE_TIMEZONE).replace(second=0, microsecond=0)
    result = make(repo, "newpost", """TITLE=It's $100: "Salary" Talk""", "AUTHOR=Will Thomson", "CATEGORY=job offers")
    finished = datetime.now(SITE_TIMEZONE)

    assert result.returncode == 0, result.stderr
    path = repo / "content" / "posts" / "its-100-salary-talk.md"
    assert f"Created content/posts/{path.name} (a draft: it is not published)." in result.stdout
    assert "Next steps:" in result.stdout
    fields = header(path)
    assert fields["Title"] == """It's $100: "Salary" Talk"""
    assert fields["Authors"] == "will-thomson"
    assert fields["Category"] == "Job Offers"
    assert fields["Status"] == "draft"
    assert uuid.UUID(fields["Id"]).version == 4
    written = datetime.strptime(fields["Date"], "%Y-%m-%d %H:%M").replace(tzinfo=SITE_TIMEZONE)
    # The minute the command ran in, however long it took.
    assert started <= written <= finished
    text = path.read_text(encoding="utf-8")
    comment = text[text.index("<!--") : text.index("-->")]
    for name in CONTENT_MODEL:
        assert name in fields or re.search(rf"^{name}: \S", comment, re.MULTILINE), f"{name} is not shown"


def test_each_newpost_gets_its_own_id(repo):
    make(repo, "newpost", "TITLE=First Draft", "AUTHOR=will-thomson")
    make(repo, "newpost", "TITLE=Second Draft", "AUTHOR=will-thomson")

    first = header(repo / "content/posts/first-draft.md")["Id"]
    second = header(repo / "content/posts/second-draft.md")["Id"]
    assert first != second


def test_a_fresh_newpost_passes_make_check(repo):
    created = make(repo, "newpost", "TITLE=Salary Talk", "AUTHOR=maya-okafor", "PARTNER=Bulls Eye Recruiting")
    assert created.returncode == 0, created.stderr
    assert header(repo / "content/posts/salary-talk.md")["Partner"] == "bulls-eye-recruiting"

    checked = make(repo, "check")

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert re.search(r"Checked 6 posts, .*: 0 errors, 0 warnings\.", checked.stdout)


def test_newpost_refuses_to_overwrite(repo):
    make(repo, "newpost", "TITLE=Salary Talk", "AUTHOR=will-thomson")
    path = repo / "content/posts/salary-talk.md"
    before = path.read_text(encoding="utf-8")

    again = make(repo, "newpost", "TITLE=Salary Talk", "AUTHOR=maya-okafor")

    assert again.returncode != 0
    assert "make newpost: content/posts/salary-talk.md already exists; edit it, or choose another TITLE" in again.stderr
    assert path.read_text(encoding="utf-8") == before


def test_newpost_refuses_a_title_whose_address_another_post_has(repo):
    # The seed post's file is when-a-recruiter-calls.md; this one has another name but the same slug.
    write_post(repo, "renamed.md", title="Renamed", Slug="salary-talk")

    result = make(repo, "newpost", "TITLE=Salary Talk", "AUTHOR=will-thomson")

    assert result.returncode != 0
    assert "TITLE: the address 'salary-talk' is already used by content/posts/renamed.md" in result.stderr
    assert not (repo / "content/posts/salary-talk.md").exists()


def test_newpost_suggests_the_names_it_does_not_know_and_writes_nothing(repo):
    before = post_files(repo)

    result = make(repo, "newpost", "TITLE=Salary Talk", "AUTHOR=will-thompson", "CATEGORY=job offer", "PARTNER=bulls")

    assert result.returncode != 0
    assert result.stderr.splitlines()[:4] == [
        "make newpost: AUTHOR: unknown author 'will-thompson'; did you mean 'will-thomson' (authors/will-thomson.md)?",
        "make newpost: CATEGORY: unknown category 'job offer'; did you mean 'Job Offers'?",
        "make newpost: PARTNER: unknown partner 'bulls'; did you mean 'bulls-eye-recruiting' "
        "(partners/bulls-eye-recruiting.md)?",
        "Nothing was written.",
    ]
    assert post_files(repo) == before


def test_newpost_without_a_title_or_author_says_how_to_call_it(repo):
    result = make(repo, "newpost")

    assert result.returncode != 0
    assert 'make newpost: TITLE is required: make newpost TITLE="..." AUTHOR=<author id>' in result.stderr
    assert 'make newpost: AUTHOR is required: make newpost TITLE="..." AUTHOR=<author id>' in result.stderr


# --- make newauthor, make newpartner ----------------------------------------------------


def test_newauthor_writes_a_profile_a_new_post_can_use(repo):
    created = make(repo, "newauthor", "ID=ada-writer", "NAME=Ada Writer")
    assert created.returncode == 0, created.stderr
    assert "Created content/authors/ada-writer.md." in created.stdout
    assert "Posts name this author with the header line 'Authors: ada-writer'." in created.stdout
    profile = repo / "content/authors/ada-writer.md"
    assert header(profile) == {"Name": "Ada Writer"}
    for name in ("Role", "Affiliation", "Avatar", "Links"):
        assert re.search(rf"^{name}: \S", profile.read_text(encoding="utf-8"), re.MULTILINE)

    assert make(repo, "newpost", "TITLE=First Steps", "AUTHOR=ada-writer").returncode == 0
    checked = make(repo, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "4 authors" in checked.stdout


def test_newauthor_refuses_an_existing_author_and_a_bad_id(repo):
    existing = make(repo, "newauthor", "ID=will-thomson", "NAME=Will Thomson")
    bad_id = make(repo, "newauthor", "ID=Ada_Writer", "NAME=Ada Writer")

    assert existing.returncode != 0
    assert (
        "make newauthor: 'will-thomson' is already the author content/authors/will-thomson.md; use that id in posts"
        in existing.stderr
    )
    assert bad_id.returncode != 0
    assert (
        "make newauthor: ID: 'Ada_Writer' is not a usable id; use lowercase letters, digits and hyphens, "
        "e.g. ID=ada-writer" in bad_id.stderr
    )
    assert not (repo / "content/authors/Ada_Writer.md").exists()


def test_newpartner_writes_a_profile_that_passes_make_check(repo):
    created = make(repo, "newpartner", "ID=acme-hiring", "NAME=Acme Hiring", "URL=https://acme.example/")

    assert created.returncode == 0, created.stderr
    assert "Posts name this partner with the header line 'Partner: acme-hiring'." in created.stdout
    assert header(repo / "content/partners/acme-hiring.md") == {"Name": "Acme Hiring", "Url": "https://acme.example/"}
    assert make(repo, "newpost", "TITLE=Guest Advice", "AUTHOR=will-thomson", "PARTNER=acme-hiring").returncode == 0
    checked = make(repo, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_newpartner_refuses_a_relative_url_and_an_existing_file(repo):
    bad_url = make(repo, "newpartner", "ID=acme-hiring", "NAME=Acme Hiring", "URL=acme.example")
    existing = make(repo, "newpartner", "ID=harborline-talent", "NAME=Harbor Line", "URL=https://h.example/")

    assert bad_url.returncode != 0
    assert "make newpartner: URL: 'acme.example' is not an absolute http(s) URL" in bad_url.stderr
    assert not (repo / "content/partners/acme-hiring.md").exists()
    assert existing.returncode != 0
    assert "'harborline-talent' is already the partner content/partners/harborline-talent.md" in existing.stderr


# --- held back, preview, progress --------------------------------------------------------


def test_publish_holds_back_drafts_and_future_posts_and_says_why(repo):
    date = future()
    write_post(repo, "scheduled.md", title="Scheduled", Date=date, Id=str(uuid.uuid4()))
    write_post(repo, "unfinished.md", title="Unfinished", Status="draft", Id=str(uuid.uuid4()))

    result = make(repo, "publish")

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"held back: content/posts/scheduled.md: Date {date} is in the future" in result.stdout.splitlines()
    assert "held back: content/posts/unfinished.md: Status: draft" in result.stdout.splitlines()
    summary = [line for line in result.stdout.splitlines() if SUMMARY.match(line)]
    assert len(summary) == 1 and SUMMARY.match(summary[0])["held"] == "2"
    assert SUMMARY.match(summary[0])["posts"] == "5"
    written = "\n".join(str(path) for path in (repo / "output").rglob("*"))
    assert "scheduled" not in written and "unfinished" not in written
    assert "scheduled" not in (repo / "content/published-urls.txt").read_text(encoding="utf-8")


def test_the_build_ends_with_one_summary_line_and_no_progress_when_not_on_a_terminal(repo):
    result = make(repo, "html")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    match = SUMMARY.match(lines[-1])
    assert match, lines[-1]
    assert match["posts"] == "5" and match["held"] == "0" and match["warnings"] == "0"
    assert int(match["pages"]) == len(list((repo / "output").rglob("*.html")))
    feed_files = [*(repo / "output").rglob("*.xml"), *(repo / "output").rglob("*.feed.json")]
    assert int(match["feeds"]) == len(feed_files) - 1  # all but sitemap.xml
    assert "Building:" not in result.stdout + result.stderr
    assert "Done: Processed" not in result.stdout  # Pelican's own summary would be a second one


def test_preview_writes_drafts_and_scheduled_posts_at_their_urls_with_a_flag(repo):
    date = future()
    write_post(repo, "scheduled.md", title="Scheduled", Date=date, Id=str(uuid.uuid4()))
    write_post(repo, "unfinished.md", title="Unfinished", Date="2014-05-01 09:00", Status="draft", Id=str(uuid.uuid4()))

    result = make(repo, "preview")

    assert result.returncode == 0, result.stderr
    year, month = date[:4], date[5:7]
    assert (
        "held back: content/posts/unfinished.md: Status: draft; "
        "preview at http://127.0.0.1:8000/2014/05/unfinished/" in result.stdout
    )
    assert f"preview at http://127.0.0.1:8000/{year}/{month}/scheduled/" in result.stdout
    assert re.search(r"^Built a preview of 5 posts, .*2 held back \(shown in this preview\)\.$", result.stdout, re.M)
    output = repo / "output"
    draft_flag = soup(output / "2014/05/unfinished/index.html").select_one(".draft-flag").get_text()
    assert draft_flag == "Draft preview: this post is not published."
    scheduled_flag = soup(output / f"{year}/{month}/scheduled/index.html").select_one(".draft-flag").get_text()
    assert scheduled_flag.startswith("Scheduled preview: this post is not published until ")
    assert soup(output / "2014/02/when-a-recruiter-calls/index.html").select_one(".draft-flag") is None
    # Held-back posts are read by their address only: never listed or in the sitemap.
    assert "unfinished" not in (output / "index.html").read_text(encoding="utf-8")
    assert "unfinished" not in (output / "sitemap.xml").read_text(encoding="utf-8")
    # The next normal build leaves them out again.
    assert make(repo, "html").returncode == 0
    assert not (output / "2014/05/unfinished").exists()
    assert not (output / f"{year}/{month}/scheduled").exists()


def clock_at(moment):
    """A stand-in for the datetime module whose clock reads `moment` (aware)."""

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.astimezone(tz) if tz is not None else moment.replace(tzinfo=None)

    stand_in = types.ModuleType("datetime")
    stand_in.__dict__.update(vars(datetime_module))
    stand_in.datetime = Clock
    return stand_in


def test_a_scheduled_post_is_published_by_the_first_build_after_its_date(tmp_path, monkeypatch):
    # No waiting for the wall clock: the post is dated a day ahead, and the second build
    # runs with Pelican's clock (the one that decides what is in the future) moved past
    # that date. The caches are on, as on the command line: nothing they keep may hold
    # the post back once its date has passed.
    due = datetime.now(SITE_TIMEZONE).replace(second=0, microsecond=0) + timedelta(days=1)
    files = minimal_files()
    files["posts/soon.md"] = post("Soon", Date=due.strftime("%Y-%m-%d %H:%M"), Slug="soon")
    content = write_site(tmp_path, files)
    page = tmp_path / "output" / due.strftime("%Y/%m") / "soon" / "index.html"
    caches = overrides_for(content, CACHE_PATH=str(tmp_path / "cache"), **COMMAND_LINE_CACHES)

    before = BuildReport(live=False)
    build(ROOT / "pelicanconf.py", tmp_path / "output", caches, before)
    assert [str(record) for record in before.held_back] == [
        f"content/posts/soon.md: Date {due.strftime('%Y-%m-%d %H:%M')} is in the future"
    ]
    assert not page.exists()

    monkeypatch.setattr(pelican.contents, "datetime", clock_at(due + timedelta(minutes=1)))
    after = BuildReport(live=False)
    build(ROOT / "pelicanconf.py", tmp_path / "output", caches, after)
    assert after.held_back == []
    assert page.exists()


def run_on_a_terminal(args, cwd):
    """Run `args` with stdout and stderr on a pseudo-terminal; return (exit status, output)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    env = clean_env(TERM="xterm-256color", COLUMNS="120")
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CI"):
        env.pop(name, None)
    process = subprocess.Popen(args, cwd=cwd, stdin=follower, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def test_on_a_terminal_the_build_shows_live_progress_then_the_summary(repo):
    status, output = run_on_a_terminal([sys.executable, "-m", "tools.build", "--output", "output"], repo)

    assert status == 0, output
    assert re.search(r"Building: \d+ posts read, \d+ pages written \(\d+ s, (reading posts|writing pages)\)", output)
    # The live line is erased with escape sequences; what stays after the last one is the summary.
    last = re.split(r"\x1b\[[0-9;?]*[A-Za-z]|[\r\n]+", output.strip())[-1]
    assert SUMMARY.match(last), repr(output[-300:])


# --- make hooks ---------------------------------------------------------------------------


def git_env():
    return clean_env(
        GIT_AUTHOR_NAME="Editor",
        GIT_AUTHOR_EMAIL="editor@example.test",
        GIT_COMMITTER_NAME="Editor",
        GIT_COMMITTER_EMAIL="editor@example.test",
        GIT_CONFIG_GLOBAL=os.devnull,  # no personal hooksPath or templates
        GIT_CONFIG_NOSYSTEM="1",
        MAKEFLAGS="STAMP=",  # the hook's make must not reinstall the shared .venv either
    )


def git(repo, *args):
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, env=git_env(), check=False, timeout=120
    )


@pytest.fixture
def git_repo(repo):
    """The repository copy as a git repository with one commit (the hook not yet installed)."""
    git(repo, "init", "-q")
    git(repo, "add", "--all", "--", ".", ":!.venv")
    assert git(repo, "commit", "-q", "-m", "start").returncode == 0
    return repo


def commits(repo):
    return len(git(repo, "log", "--oneline").stdout.splitlines())


def test_hooks_installs_a_pre_commit_hook_that_refuses_a_broken_post(git_repo):
    installed = make(git_repo, "hooks", env=git_env())
    assert installed.returncode == 0, installed.stderr
    assert "every commit now runs 'make check' first" in installed.stdout
    write_post(git_repo, "broken.md", title="Broken", Date="2014-13-45", Authors="will-thompson")
    git(git_repo, "add", "content/posts/broken.md")

    refused = git(git_repo, "commit", "-m", "broken post")

    assert refused.returncode != 0
    # git shows a hook's output on stderr.
    assert "content/posts/broken.md:2: Date: '2014-13-45' is not a date" in refused.stderr
    assert "Commit refused: fix the problems above" in refused.stderr
    assert commits(git_repo) == 1

    write_post(git_repo, "broken.md", title="Fixed", Id=str(uuid.uuid4()))
    git(git_repo, "add", "content/posts/broken.md")
    accepted = git(git_repo, "commit", "-m", "fixed post")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert commits(git_repo) == 2


def test_the_hook_checks_what_is_staged_not_the_working_tree(git_repo):
    assert make(git_repo, "hooks", env=git_env()).returncode == 0
    (git_repo / "notes.txt").write_text("a staged change\n", encoding="utf-8")
    git(git_repo, "add", "notes.txt")
    # A broken post that is not part of the commit does not block it.
    write_post(git_repo, "unstaged.md", title="Unstaged", Authors="nobody")

    result = git(git_repo, "commit", "-m", "notes")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings." in result.stderr


def test_hooks_never_replaces_someone_elses_hook(git_repo):
    hook = git_repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho mine\n", encoding="utf-8")

    result = make(git_repo, "hooks", env=git_env())

    assert result.returncode != 0
    assert "exists and is not ours" in result.stderr
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho mine\n"
