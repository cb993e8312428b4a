"""What the sanitiser took out of a body, as errors an editor can act on.

Bodies are sanitised while Markdown converts them (blogcore.markdown_guard), in
whichever process converts them; what was removed comes back in the document's
metadata. Here it becomes `file:line: body: ...` problems: the line is the first body
line holding the removed markup, where the source shows it.
"""

import os
from dataclasses import replace
from pathlib import Path

from blogcore.markdown_guard import findings_of
from blogcore.problems import Problem, site_relative
from blogcore.source import UnreadableSource, read_source


class BodyLines:
    """The body lines of a Source, case-folded once, to find many needles' lines in."""

    def __init__(self, source):
        self.source = source
        self.lines = source.body.casefold().split("\n") if source is not None else []

    def line_of(self, needles):
        """The line of the first body line holding the first of `needles` that any line
        holds (in any case), or None."""
        for needle in needles:
            wanted = needle.casefold()
            for offset, line in enumerate(self.lines):
                if wanted in line:
                    return self.source.body_line + offset
        return None


def body_line_of(needles, source):
    """The line of the first body line of `source` holding the first of `needles` that
    any line holds (in any case), or None."""
    return BodyLines(source).line_of(needles)


def finding_problems(path, findings, source=None):
    """Problems for the Findings of the body of the file at `path`.

    `source` (a Source) gives the lines; without one (or one the audit cache kept without
    its body) the file is read again, which only happens for a body with findings.
    """
    if not findings:
        return []
    if source is None or not source.body:
        try:
            source = read_source(path)
        except (OSError, UnreadableSource):
            source = None
    return [
        Problem(
            str(path),
            body_line_of(finding.needles, source) if source is not None else None,
            "body",
            finding.message,
            finding.fix,
        )
        for finding in findings
    ]


def field_problems(source, name, findings):
    """Problems for the Findings of a formatted header field (Summary), at its line."""
    return [Problem(str(source.path), source.line(name), name, finding.message, finding.fix) for finding in findings]


def record_removals(content, audit):
    """Add the problems of what the sanitiser removed from `content`'s body to the
    audit's build problems (and take the report out of its metadata)."""
    findings = findings_of(content.metadata)
    if not findings:
        return
    content.sanitiser_findings = findings  # for the dev server's check of a new body (livebody.py)
    path = os.path.realpath(content.source_path)
    source = audit.posts.get(path) or audit.pages.get(path)
    site_root = Path(audit.settings["PATH"]).parent
    for problem in finding_problems(content.source_path, findings, source):
        audit.build_problems.append(replace(problem, path=site_relative(problem.path, site_root)))
