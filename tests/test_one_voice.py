"""One voice: what the command-line build logs reads as `warning: message`, one line each,
without timestamps, logger names or code locations, and never wrapped inside a path."""

import logging
import os
import subprocess
import sys

from support import ROOT

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
