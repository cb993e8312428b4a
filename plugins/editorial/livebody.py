"""The editorial plugin's part in refreshing one post after an edit to its body only
(blogcore.refresh; the dev server, fastbuild/live.py): the checks the audit and the
build run on a body, and the display values made from it, for that post alone."""

import os
from dataclasses import replace
from pathlib import Path

from blogcore.problems import site_relative
from blogcore.refresh import NotRefreshable
from blogcore.source import UnreadableSource, read_source

from . import rules
from .audit import summary_problems
from .bodies import finding_problems
from .bodylinks import body_link_problems
from .enrich import attach_descriptions, attach_jsonld, attach_text_values
from .pages import CONTEXT_KEY
from .profiles import markdown_renderer


def _audit(post):
    return post._context.get(CONTEXT_KEY)


def check_body(post, new, generators, output_path):
    """check_body: the audit's rules for the file, what the sanitiser removed from the new
    body and its links, as `make html` reports them; NotRefreshable when the front matter
    is not what the audit read (a change the build must see)."""
    audit = _audit(post)
    if audit is None:
        return []
    real = os.path.realpath(post.source_path)
    try:
        source = read_source(post.source_path)
    except (OSError, UnreadableSource) as error:
        raise NotRefreshable(f"{post.source_path} cannot be read ({error})") from error
    known = audit.posts.get(real)
    if known is None or (known.fields, known.repeated, known.body_line) != (
        source.fields,
        source.repeated,
        source.body_line,
    ):
        raise NotRefreshable(f"the front matter of {post.source_path} changed")
    settings = audit.settings
    found = list(rules.check_post(source, audit.catalog, settings, settings["PATH"]))
    found += summary_problems(source, markdown_renderer(settings, who="summaries"))
    site_root = Path(settings["PATH"]).parent
    found = [replace(problem, path=site_relative(problem.path, site_root)) for problem in found]
    # What the sanitiser removed while the post was read again: bodies.record_removals
    # noted it against the lines of the body the audit read, so it is placed again here,
    # on the new body's lines.
    mine = site_relative(post.source_path, site_root)
    audit.build_problems[:] = [problem for problem in audit.build_problems if problem.path != mine]
    removed = finding_problems(post.source_path, getattr(new, "sanitiser_findings", ()), source)
    found += [replace(problem, path=site_relative(problem.path, site_root)) for problem in removed]
    if audit.site_files is not None:
        found += body_link_problems([new], audit.site_files, lambda content: source)
    new._editorial_source = source
    return found


def read_body(post, new, generators, output_path):
    """read_body: the reading time and word count, and the structured data made anew."""
    audit = _audit(post)
    if audit is None:
        return
    attach_text_values(post, audit.settings)
    attach_jsonld(post, audit.settings)
    source = getattr(new, "_editorial_source", None)
    if source is not None:
        audit.posts[os.path.realpath(post.source_path)] = source


def finalize_body(post, new, generators, output_path):
    """finalize_body: the description, from the final summary."""
    if _audit(post) is not None:
        attach_descriptions([post])
