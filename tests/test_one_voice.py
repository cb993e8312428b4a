"""One voice: what the command-line build logs reads as `warning: message`, one line each,
without timestamps, logger names or code locations, and never wrapped inside a path."""

import logging
import os
import subprocess
import sys
import uuid

from support import ROOT, minimal_files, post, run_build_cli, write_site

from tools.build import PlainFormatter


def test_plain_formatter_prints_level_and_message_only():
    record = logging.LogRecord("pelican.contents", logging.WARNING, "contents.py", 341, "a %s", ("b",), None)
    assert PlainFormatter().format(record) == "warning: a b"


LOG_AS_THE_BUILD_DOES = """\
import logging, sys
sys.argv = ["tools.build"]
from pelican.log import init
from tools.build import plain_log_handler
init(logging.WARNING, handler=plain_log_handler())
logging.getLogger("pelican.contents").warning("Unable to find '%s', skipping url replacement.", sys.stdin.read())
"""


def test_a_logged_warning_reaches_an_80_column_terminal_plain_and_whole():
    path = "content/posts/" + "a-very-long-" * 8 + "post.md"
    result = subprocess.run(
        [sys.executable, "-c", LOG_AS_THE_BUILD_DOES],
        cwd=ROOT,
        input=path,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80", "FORCE_COLOR": "0"},
        check=True,
    )
    assert result.stderr == f"warning: Unable to find '{path}', skipping url replacement.\n"


def test_the_build_and_dev_server_log_through_the_plain_handler():
    for tool in ("build.py", "devserver.py"):
        text = (ROOT / "tools" / tool).read_text(encoding="utf-8")
        assert "handler=plain_log_handler())" in text, tool


def warning_lines(text):
    return sorted(line for line in text.splitlines() if line.startswith("warning: "))


def test_make_check_and_the_build_report_the_same_warnings(tmp_path):
    # A post without an Id (warned by the audit, not only by the feeds) and a post saved
    # outside the folders the site reads, which Pelican would skip without a word.
    # And a staff post with a video, which its feed items leave out: only the build finds it.
    video = '<iframe src="https://www.youtube-nocookie.com/embed/x" title="A talk"></iframe>'
    files = {**minimal_files(), "posts/a-post.md": post(Id=None)}
    files["newpost.md"] = post("Saved In The Wrong Folder")
    files["posts/video.md"] = post("Video", body=f"A talk.\n\n{video}\n")
    content = write_site(tmp_path, files)
    settings = tmp_path / "settings.py"
    settings.write_text(f"from pelicanconf import *  # noqa: F403\nPATH = {str(content)!r}\n", encoding="utf-8")
    checked = run_build_cli("--check", "--settings", str(settings))
    built = run_build_cli("--settings", str(settings), "--output", str(tmp_path / "output"))
    assert (checked.returncode, built.returncode) == (0, 0), checked.stdout + checked.stderr + built.stderr
    guid = uuid.uuid5(uuid.UUID("0b21f4b1-e5ef-464b-a43d-c97a85e75fa0"), "source:posts/a-post.md")
    expected = [
        "warning: content/newpost.md: file: is outside the folders the site reads, so it is not published; "
        "move a post into content/posts/ (a draft too, with 'Status: draft') and a page into content/pages/",
        "warning: content/posts/a-post.md:1: Id: missing; its feed id comes from the file name and changes "
        f"if the file is renamed or moved; add 'Id: {guid}' to keep it for good",
        "warning: content/posts/video.md: body: <iframe> element is left out of its feed items, which partner "
        "sites show",
    ]
    assert warning_lines(checked.stdout) == expected
    assert warning_lines(built.stderr) == expected
