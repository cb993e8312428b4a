"""The dev server's site in memory: the last good build, kept between saves, and a save
that changes only posts' bodies or tags shown without building the site again.

A build run with `FASTBUILD_LIVE = LiveSite()` leaves in it what it read and rendered:
its generators (all_generators_finalized), every page the writer wrote with the template
and context it was rendered from (writer.py), and the receivers the build connected
(blogcore.scope). After a save, `LiveSite.refresh(paths)` either shows the edit at once
or raises NotRefreshable, and the dev server builds the site as before (with the caches,
so that build is incremental too). It refreshes when every saved file is a post of the
site whose front matter is as it was, but for the tags of a published post, where any tag
given is one the site has, spelt the site's way. Then no post's URL, category, author,
series or neighbours change: only what is made of the body, and the tags' lists and what
is made of them. For each post it

1. reads the file as the articles generator does (Pelican's reader, with the build's
   receivers connected: the editorial metadata, the sanitiser);
2. when its tags changed, records again the pages of every tag it was given or lost
   (Pelican's generate_tags, with the tag's posts as they will be), before anything
   changes: a tag new to the site or left with no post builds;
3. sends blogcore.refresh.check_body: the problems a build would find in the new body
   (the editorial rules, links, images); with an error nothing is written and the
   problems are returned, as a failed build leaves the last good site on screen;
4. gives the post its new body and tags, the site's tag lists their new posts in place
   (every page's context holds them) and the recorded tag pages their place, and sends
   retag (related posts ranked again, tag feeds), read_body, rewrite_body and
   finalize_body, the build's later steps for one post (reading time, body images,
   description);
5. renders every page whose context reaches the post's fields or those of a post whose
   related posts changed (fingerprint.Reach, the rule page keys follow: the post's page,
   the listings showing it, the pages of posts linking it), every page of a tag given or
   lost and every page listing the site's tags, into the served folder, each file
   replaced in one rename (a tag's page that no longer exists is removed);
6. sends write_body (the feeds carrying it) and, when a tag gained or lost a page,
   pages_moved (the sitemap).

tests/test_live_refresh.py compares every file with a clean build after each refresh.
"""

import contextlib
import functools
import logging
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field

from blogcore.output import replace_bytes
from blogcore.published import recorded_urls
from blogcore.refresh import (
    STEPS,
    NotRefreshable,
    check_body,
    generator_of,
    pages_moved,
    retag,
    tags_given_or_taken,
    write_body,
)
from blogcore.scope import MEMOIZED
from pelican.contents import Article
from pelican.generators import ArticlesGenerator
from pelican.plugins import signals

from .fingerprint import Reach
from .incremental import EVERYTHING, TemplateNames
from .taxonomy import IdentityIndexedList
from .writer import ParallelWriter

logger = logging.getLogger(__name__)


@dataclass
class Refreshed:
    """What a refresh did: the files it wrote (relative to the output folder), or the
    problems that kept it from writing any (errors), and the warnings it found."""

    written: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    seconds: float = 0.0


class LiveSite:
    """One good build of the site, as the dev server keeps it (see the module's text)."""

    def __init__(self):
        self.generators = []
        self.pages = {}  # file relative to the output folder -> writer.PageJob
        self.scope = None  # blogcore.scope.Scope of the build
        self.output = None  # the folder served, where refreshes write
        self._reaches = None  # file -> the sets of ids of posts its page reaches
        self._by_path = None  # real source path -> post

    # --- kept by the build --------------------------------------------------------

    def keep_generators(self, generators):
        """all_generators_finalized: the build's generators."""
        self.generators = list(generators)

    def keep_pages(self, jobs, output_path):
        """The writer's pages (PageJob), each under its file relative to `output_path`; a
        later page of one file replaces the earlier, as the writer's override does."""
        for job in jobs:
            if job.path:
                self.pages[os.path.relpath(job.path, output_path)] = job

    def built(self, scope, output):
        """The build succeeded and is served from `output`; `scope` holds its receivers."""
        self.scope, self.output = scope, str(output)

    @property
    def indexed(self):
        """True once index() has worked out which posts every page reaches."""
        return self._reaches is not None

    def index(self):
        """Work out which posts every page reaches (once per build, before the first
        refresh; about a second per 4,000 pages here: 4.5 s at 10,000 posts)."""
        if self._reaches is not None:
            return
        started = time.perf_counter()
        articles = generator_of(self.generators, ArticlesGenerator)
        self._reach = Reach(articles.settings if articles is not None else None)
        self._names_of = {}
        self._reaches, self._tag_readers = {}, set()
        for relative, job in self.pages.items():
            self._index_page(relative, job)
        if articles is not None:
            self._posts_by_path(articles)
        logger.debug("fastbuild: live index of %d pages (%.2f s)", len(self.pages), time.perf_counter() - started)

    def _index_page(self, relative, job):
        # The posts the page reaches, and whether it reads the site's tags (their lists).
        environment = job.template.environment
        if environment not in self._names_of:
            self._names_of[environment] = TemplateNames(environment)
        names = self._names_of[environment].names(job.template.name) if job.template.name else EVERYTHING
        local = job.local_context()
        if names is EVERYTHING:
            names = local.keys()
        sets = {}
        for name in names:
            if name in local:
                found = self._reach.of(local[name], name)
            elif name in environment.globals:
                found = self._reach.of(environment.globals[name])
            else:
                continue
            if found:
                sets[id(found)] = found
        self._reaches[relative] = tuple(sets.values())
        if "tags" in names:
            self._tag_readers.add(relative)
        else:
            self._tag_readers.discard(relative)

    # --- a save -------------------------------------------------------------------

    def refresh(self, paths):
        """Show the edit of the posts at `paths` (absolute), or raise NotRefreshable."""
        started = time.perf_counter()
        articles = generator_of(self.generators, ArticlesGenerator)
        if articles is None or self.scope is None:
            raise NotRefreshable("no build to refresh")
        posts = self._posts_at(articles, paths)
        self.index()
        result = Refreshed()
        with self.scope.reopened():
            fresh = [(post, self._read_again(articles, post)) for post in posts]
            retagged = [(post, new) for post, new in fresh if _tag_names(post) != _tag_names(new)]
            tag_pages = self._tag_pages_again(articles, retagged) if retagged else None
            for post, new in fresh:
                for _, found in check_body.send(post, new=new, generators=self.generators, output_path=self.output):
                    for problem in found or ():
                        (result.errors if problem.severity == "error" else result.warnings).append(problem)
            if result.errors:
                return result
            # From here on the site in memory changes: nothing may refuse the edit.
            for post, new in fresh:
                _take_body(post, new)
            targets = {id(post) for post, _ in fresh}
            rendered = set()
            if retagged:
                old_tags = {id(post): list(getattr(post, "tags", None) or []) for post, _ in retagged}
                for post, new in retagged:
                    _take_tags(post, new)
                rendered |= tag_pages.apply(self.pages, self.output)
                for relative in tag_pages.removed:
                    self._reaches.pop(relative, None)
                    self._tag_readers.discard(relative)
                rendered |= self._tag_readers
                for post, new in retagged:
                    for _, changed in retag.send(
                        post, new=new, old_tags=old_tags[id(post)], generators=self.generators, output_path=self.output
                    ):
                        targets.update(id(other) for other in changed or ())
            for step in STEPS:
                for post, new in fresh:
                    step.send(post, new=new, generators=self.generators, output_path=self.output)
            rendered.update(
                relative
                for relative, reached in self._reaches.items()
                if any(target in found for found in reached for target in targets)
            )
            if retagged:
                # Changed in place: the tags' lists, the context's list of them, the posts
                # given other tags or related posts (a post's walk two deep reaches its
                # related posts; one deep, from a listing, only its own fields).
                changed = [articles.tags[tag] for tag in tag_pages.lists]
                changed.append(articles.context["tags"])
                changed += [post for post in articles.articles if id(post) in targets]
                self._reach.forget(changed)
            for relative in sorted(rendered):
                job = self.pages[relative]
                replace_bytes(self.output, relative, job.render())
                result.written.append(relative)
                if retagged:  # what the page shows may have changed with the tags
                    self._index_page(relative, job)
            for post, new in fresh:
                write_body.send(post, new=new, generators=self.generators, output_path=self.output)
            if retagged and (tag_pages.added or tag_pages.removed):
                pages_moved.send(
                    self,
                    added=tag_pages.added,
                    removed=tag_pages.removed,
                    generators=self.generators,
                    output_path=self.output,
                )
        result.seconds = time.perf_counter() - started
        return result

    def _tag_pages_again(self, articles, retagged):
        # The pages of each tag given or taken, recorded again with the tag's posts as they
        # will be, before anything changes; NotRefreshable for a tag change only a build can
        # show (a post not published, a tag new to the site or left with no post, a page in
        # the record of published URLs going).
        new_tags = {}
        for post, new in retagged:
            if not any(published is post for published in articles.articles):
                raise NotRefreshable(f"{post.source_path} is not published (a draft's tags change builds)")
            new_tags[id(post)] = list(getattr(new, "tags", None) or [])
        keys = {tag.slug: tag for tag in articles.tags}
        changed = set()
        for post, _ in retagged:
            for tag in new_tags[id(post)]:
                if tag.slug not in keys or keys[tag.slug].name != tag.name:
                    raise NotRefreshable(f"{post.source_path} gives the tag '{tag.name}', new to the site")
            changed |= tags_given_or_taken(getattr(post, "tags", None), new_tags[id(post)])
        members = {slug: IdentityIndexedList() for slug in changed}
        order = {}
        for article in articles.articles:
            for tag in new_tags.get(id(article), getattr(article, "tags", None) or []):
                order.setdefault(tag.slug, tag)
                if tag.slug in members:
                    members[tag.slug].append(article)
        if any(not posts for posts in members.values()):
            raise NotRefreshable("a tag would be left with no post")
        if set(order) != set(keys) or any(order[slug].name != keys[slug].name for slug in order):
            raise NotRefreshable("the site's tags would be named otherwise")
        lists = {keys[slug]: members[slug] for slug in sorted(changed)}
        return TagPages(articles, lists, [keys[slug] for slug in order], self.pages, self.output)

    def _posts_by_path(self, articles):
        # Once per build (index() works it out between saves).
        if self._by_path is None:
            self._by_path = {
                os.path.realpath(content.source_path): content
                for content in articles.context.get("generated_content", {}).values()
                if isinstance(content, Article)
            }
        return self._by_path

    def _posts_at(self, articles, paths):
        by_path = self._posts_by_path(articles)
        posts = []
        for path in paths:
            post = by_path.get(os.path.realpath(path))
            if post is None and not os.path.lexists(path):
                continue  # gone again and never in the site: an editor's temporary file
            if post is None or not os.path.isfile(path):
                raise NotRefreshable(f"{path} is not a post of the site on screen")
            posts.append(post)
        return posts

    @staticmethod
    def _read_again(articles, post):
        # As ArticlesGenerator.generate_context reads each file.
        try:
            new = articles.readers.read_file(
                base_path=articles.path,
                path=os.path.relpath(post.source_path, articles.path),
                content_class=Article,
                context=articles.context,
                preread_signal=signals.article_generator_preread,
                preread_sender=articles,
                context_signal=signals.article_generator_context,
                context_sender=articles,
            )
        except Exception as error:  # the build would say "Could not process": it must run
            raise NotRefreshable(f"{post.source_path} cannot be read here ({error})") from error
        if not isinstance(new, Article) or not new.is_valid():
            raise NotRefreshable(f"{post.source_path} is no longer a valid post")
        if new.status != post.status or _leaving_out_tags(new.metadata) != _leaving_out_tags(post.metadata):
            raise NotRefreshable(f"the front matter of {post.source_path} changed")
        if new.get_static_links() - set(articles.context.get("static_content", {})):
            raise NotRefreshable(f"{post.source_path} links a file the site does not publish yet")
        if "{attach}" in new._content or "|attach|" in new._content:
            raise NotRefreshable(f"{post.source_path} attaches a file ({{attach}} moves it)")
        return new


class TagPages:
    """The pages of tags given or taken in a save, recorded again with each tag's posts
    as they will be (`lists`: the tag of the site -> its posts, in the site's order;
    `order`: the site's tags in the order their first posts come, as Pelican holds them),
    beside the site's `pages` (the LiveSite's); NotRefreshable when a page that would go
    is in the record of published URLs, which only a build may fail on."""

    def __init__(self, articles, lists, order, pages, output):
        self.articles, self.lists, self.order = articles, lists, order
        writer = ParallelWriter(output, settings=articles.settings)
        writer.announce = False
        write = functools.partial(writer.write_file, relative_urls=articles.settings["RELATIVE_URLS"])
        # Pelican's own generate_tags, for these tags only (it writes every tag it holds).
        site_tags = articles.tags
        articles.tags = dict(lists)
        try:
            articles.generate_tags(write)
        finally:
            articles.tags = site_tags
        self.jobs = {os.path.relpath(job.path, output): job for job in writer.take_recorded()}
        # The build's pages of each of these tags, by slug; which go (a tag losing a page)
        # and which come (gaining one).
        slugs, template = {tag.slug for tag in lists}, articles.get_template("tag")
        self.built = {}
        for relative, job in pages.items():
            slug = _tag_of(job, template)
            if slug in slugs:
                self.built.setdefault(slug, []).append(relative)
        old = {relative for relatives in self.built.values() for relative in relatives}
        self.removed, self.added = sorted(old - set(self.jobs)), sorted(set(self.jobs) - old)
        recorded = recorded_urls(articles.settings)
        for relative in self.removed:
            if "/" + relative.replace(os.sep, "/").removesuffix("index.html") in recorded:
                raise NotRefreshable(f"/{relative} would go, and it is in the record of published URLs")

    def apply(self, pages, output):
        """Give the site's tags their new posts and put the recorded pages in `pages` (the
        LiveSite's) in place of the old, taking those that go out of `pages` and of the
        folder `output`; return the files to render."""
        # In place: every page's context holds these lists (and the context's list of
        # pairs); a tag now first on a newer post moves up, as in Pelican's dict.
        site_tags = self.articles.tags
        for tag, posts in self.lists.items():
            site_tags[tag][:] = posts
        self.articles.tags = defaultdict(list, ((tag, site_tags[tag]) for tag in self.order))
        self.articles.context["tags"][:] = list(self.articles.tags.items())
        for relative in self.removed:
            del pages[relative]
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(output, relative))
        for relative, job in self.jobs.items():
            kept = pages.get(relative) or pages[self.built[job.extra["tag"].slug][0]]
            # The build's context of the page (later generators add to the one context); the
            # page's own values as recorded now, with the site's list of the tag.
            job.context, job.base = kept.context, kept.base
            job.extra["localsiteurl"] = kept.extra.get("localsiteurl")
            job.extra["articles"] = self.articles.tags[job.extra["tag"]]
            pages[relative] = job
        return set(self.jobs)


def _tag_of(job, template):
    # The slug of the tag whose listing `job` is a page of, if it is one (of `template`).
    return getattr(job.extra.get("tag"), "slug", None) if job.template is template else None


def _tag_names(post):
    return [tag.name for tag in getattr(post, "tags", None) or []]


def _leaving_out_tags(metadata):
    return {name: value for name, value in metadata.items() if name != "tags"}


def _take_tags(post, new):
    """Give `post` the tags `new` was read with."""
    if "tags" in new.metadata:
        post.metadata["tags"] = post.tags = new.metadata["tags"]
    else:
        post.metadata.pop("tags", None)
        if hasattr(post, "tags"):
            del post.tags


def _take_body(post, new):
    """Give `post` the body `new` was read with, and forget what was worked out from the
    old one (Pelican's memoized content and summary)."""
    post._content = new._content
    for method in MEMOIZED:
        for key in [key for key in method.cache if key and key[0] is post]:
            del method.cache[key]
