"""The editorial plugin's part in refreshing one post after an edit to its body or its
tags (blogcore.refresh; the dev server, fastbuild/live.py): the checks the audit and the
build run on a body, the display values made from it, for that post alone, and the
related posts of the posts sharing a tag given or taken."""

import os
from dataclasses import replace
from pathlib import Path

from blogcore.problems import site_relative
from blogcore.refresh import NotRefreshable, generator_of, tags_given_or_taken
from blogcore.source import UnreadableSource, read_source, split_list
from pelican.generators import ArticlesGenerator

from . import rules
from .audit import summary_problems
from .bodies import finding_problems
from .bodylinks import body_link_problems
from .enrich import attach_descriptions, attach_jsonld, attach_text_values, rank_related_again
from .pages import CONTEXT_KEY
from .profiles import markdown_renderer
from .tagspelling import tag_key


def _audit(post):
    return post._context.get(CONTEXT_KEY)


def check_body(post, new, generators, output_path):
    """check_body: the audit's rules for the file, what the sanitiser removed from the new
    body and its links, as `make html` reports them; NotRefreshable when the front matter
    is not what the audit read (a change the build must see) other than in its tags, or
    when a tag change is one the site's tag audit would see (_check_tag_change)."""
    audit = _audit(post)
    if audit is None:
        return []
    real = os.path.realpath(post.source_path)
    try:
        source = read_source(post.source_path)
    except (OSError, UnreadableSource) as error:
        raise NotRefreshable(f"{post.source_path} cannot be read ({error})") from error
    known = audit.posts.get(real)
    if known is None or _header(known, "tags") != _header(source, "tags"):
        raise NotRefreshable(f"the front matter of {post.source_path} changed")
    if _header(known) != _header(source):
        _check_tag_change(audit, real, known, source)
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


def _header(source, leaving_out=None):
    fields = {name: entry for name, entry in source.fields.items() if name != leaving_out}
    return fields, source.repeated, source.body_line


def _check_tag_change(audit, real, known, source):
    # The tag audit (tagspelling.audit_tags) must come out as the build left it: every tag
    # given or taken is one of the site's, spelt as the site spells it by every post using
    # it, and used by two posts or more before and after (a tag used by one post is
    # reported as new). Anything else: the build tells.
    def tags_of(found):
        return [tag for tag in split_list(found.get("Tags")) if tag]

    changed = {tag_key(tag) for tag in set(tags_of(known)) ^ set(tags_of(source))}
    before, after = dict.fromkeys(changed, 0), dict.fromkeys(changed, 0)
    for path, other in audit.posts.items():
        for counts, found in ((before, other), (after, source if path == real else other)):
            for tag in dict.fromkeys(tags_of(found)):
                key = tag_key(tag)
                if key not in counts:
                    continue
                if audit.tag_spellings.get(key) != tag:
                    raise NotRefreshable(f"the tag '{tag}' of {found.path} is not spelt as the site spells it")
                counts[key] += 1
    if any(count < 2 for count in (*before.values(), *after.values())):
        raise NotRefreshable(f"{source.path} gives or takes a tag only one post has")


def retag(post, new, old_tags, generators, output_path):
    """retag: the related posts of the post and of every post having a tag it was given
    or lost (no other post's score for it changed), ranked again; return the posts whose
    related posts changed."""
    audit = _audit(post)
    articles = generator_of(generators, ArticlesGenerator)
    if audit is None or articles is None:
        return []
    slugs = tags_given_or_taken(old_tags, getattr(post, "tags", None))
    return rank_related_again(list(articles.articles), [post], slugs, audit.settings)


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
