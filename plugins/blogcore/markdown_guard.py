"""A Python-Markdown extension every conversion of the site runs with: the converted HTML
is sanitised (sanitise.py) and one conversion has a time and recursion budget.

It sits in Markdown, not in a Pelican signal, because every consumer of converted HTML
goes through Markdown: Pelican's reader, the fastbuild workers and their cache, the
automatic summary cut from the body, the Summary field, and the profiles' bodies. So
there is one place where a body becomes trusted HTML.

Which list applies is read from the document itself: a post whose header names a
Partner is a guest post. A conversion without the header (a formatted field such as
Summary, which Pelican converts with the meta preprocessor switched off) gets the guest
list, as does anything converted with `trust="guest"` (profiles).

What was removed (and a blown budget) travels with the document's metadata under
REPORT_KEY, a JSON list, so that it reaches the plugin that names the file, whichever
process converted it: see `findings_of`.
"""

import json
import signal
import threading
from contextlib import contextmanager

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from .frontmatter import as_key_value_lines
from .sanitise import Finding, Sanitiser, guest_policy, staff_policy

# Lowercase, as Python-Markdown's meta extension writes its keys.
REPORT_KEY = "x-sanitiser-report"
DEFAULT_SECONDS = 10.0
NAME = "blogcore.markdown_guard"


class BudgetExceeded(Exception):
    """One conversion ran past its time budget."""


@contextmanager
def time_budget(seconds):
    """Raise BudgetExceeded in the body once `seconds` have passed.

    A timer signal can only interrupt the main thread; elsewhere (a thread of a dev
    server) conversions run unbudgeted rather than not at all.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise BudgetExceeded

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _report(md, findings):
    """Put `findings` in the document's metadata (replacing anything a header said)."""
    meta = getattr(md, "Meta", None)
    if meta is None:
        meta = md.Meta = {}
    meta.pop(REPORT_KEY, None)
    if findings:
        meta[REPORT_KEY] = [json.dumps([[f.message, f.fix, list(f.needles)] for f in findings])]


def findings_of(metadata):
    """The Findings a conversion reported in `metadata` (Pelican's metadata, a Markdown
    instance's Meta, or a dict holding either), removing them from it."""
    value = metadata.pop(REPORT_KEY, None)
    if value is None:
        return ()
    if isinstance(value, list):  # Python-Markdown's Meta: a list of lines
        value = "\n".join(value)
    return tuple(Finding(message, fix, tuple(needles)) for message, fix, needles in json.loads(value))


class SanitisePostprocessor(Postprocessor):
    """Runs last: cleans the HTML every other step has finished with."""

    def __init__(self, md, guest, staff, force_guest):
        super().__init__(md)
        self.guest, self.staff, self.force_guest = guest, staff, force_guest

    def is_guest(self):
        """True when this document gets the guest list."""
        if self.force_guest or "meta" not in self.md.preprocessors:
            return True
        partner = getattr(self.md, "Meta", {}).get("partner", [])
        return any(line.strip() for line in partner)

    def run(self, text):
        sanitiser = self.guest if self.is_guest() else self.staff
        cleaned, findings = sanitiser.clean(text)
        _report(self.md, findings)
        return cleaned


class FrontMatterPreprocessor(Preprocessor):
    """Rewrites a YAML header (frontmatter.py) into the `Key: value` lines the meta
    extension reads, so Pelican gets the fields the audit checked."""

    def run(self, lines):
        if "meta" not in self.md.preprocessors:
            return lines  # a formatted field (Summary) or a body: no header to read
        return as_key_value_lines(lines)


class GuardExtension(Extension):
    """Sanitise every conversion and keep it within budget."""

    def __init__(self, **kwargs):
        self.config = {
            "trust": ["auto", "'auto' (a Partner header means a guest post) or 'guest' (always the guest list)"],
            "who": ["guest posts", "how messages name what the guest list cleaned ('profiles', 'summaries')"],
            "iframe_hosts": [[], "hosts staff posts may embed iframes from (EDITORIAL_IFRAME_HOSTS)"],
            "seconds": [DEFAULT_SECONDS, "time budget of one conversion, in seconds (0: none)"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        guest = Sanitiser(guest_policy(self.getConfig("who")))
        staff = Sanitiser(staff_policy(self.getConfig("iframe_hosts")))
        force_guest = self.getConfig("trust") == "guest"
        # Priority 0: after raw HTML is put back (30) and every other postprocessor.
        md.postprocessors.register(SanitisePostprocessor(md, guest, staff, force_guest), "sanitise", 0)
        # Priority 31: before whitespace is normalised (30, which expands tabs, as the audit
        # does not) and the meta extension (27) reads the header.
        md.preprocessors.register(FrontMatterPreprocessor(md), "front_matter", 31)
        md.registerExtension(self)
        seconds = float(self.getConfig("seconds"))
        convert = md.convert

        # Python-Markdown has no hook around a whole conversion; wrapping this instance's
        # convert is the only way to turn a runaway or too-deep document into a report.
        def budgeted_convert(source):
            try:
                with time_budget(seconds):
                    return convert(source)
            except BudgetExceeded:
                finding = Finding(
                    f"Markdown needed more than {seconds:g} s to convert it",
                    "look for thousands of '[', '*' or '<' in a row and remove them, or split the post",
                )
            except RecursionError:
                finding = Finding(
                    "nests too deeply to convert",
                    "reduce the quotes or lists nested inside each other",
                )
            _report(md, [finding])
            return ""

        md.convert = budgeted_convert


def makeExtension(**kwargs):  # the name Python-Markdown looks for
    """Python-Markdown's entry point for `extensions=["blogcore.markdown_guard"]`."""
    return GuardExtension(**kwargs)
