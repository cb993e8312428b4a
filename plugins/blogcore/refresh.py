"""Refreshing one post in a site kept in memory, after an edit to its body or its tags.

`make devserver` keeps the last build's site in memory (fastbuild/live.py). When a save
changes only the body of posts, or their tags among the site's tags (the rest of their
front matter is as it was), the server does not build the site again: it reads those
posts again and runs, for each, the steps the build runs for every post, in the build's
order. Each plugin that derives something from a post's body or tags takes part through
these signals, as it takes part in a build through Pelican's:

1. `check_body` (before anything changes): the problems the build would find in the new
   body, returned as a list; a receiver raises NotRefreshable when only a whole build
   can tell (a new image to convert, a link to a file not yet published).
2. `retag` (only for a post whose tags changed; as at article_generator_finalized,
   once the site's tag lists hold the post under its new tags): what is made of every
   post's tags (related posts, the tag feeds), returned as the other posts whose shown
   values changed; receivers also get `old_tags`. A tag change a receiver cannot show
   raises NotRefreshable in check_body (the editorial plugin: a tag the tag audit would
   report otherwise, new to the site or spelt another way).
3. `read_body` (as at article_generator_finalized): values computed from the body as
   converted (the reading time).
4. `rewrite_body` (as in the later generators' generate_context): changes to the body's
   HTML (body images as <picture>).
5. `finalize_body` (as at all_generators_finalized): values computed from the final body
   and summary (the description).
6. `write_body` (as in generate_output, after the pages): files other than pages that
   carry the body (the feeds).

Receivers are called as `receiver(post, new=..., generators=..., output_path=...)`:
`post` is the post as the site holds it, with its new body and tags from step 2 on;
`new` the post just read from the edited file; `generators` the last build's generators;
`output_path` the folder being served. tests/test_live_refresh.py compares every file
after refreshes with a clean build of the edited site.
"""

from blinker import Signal

check_body = Signal("the problems a build would find in a post's new body")
retag = Signal("values made from posts' tags across the site, after a post's tags changed")
read_body = Signal("values computed from a post's body as converted")
rewrite_body = Signal("changes to a post's body HTML")
finalize_body = Signal("values computed from a post's final body and summary")
write_body = Signal("files other than pages that carry a post's body")
# Sent by the refresh itself, as `receiver(live_site, added=[...], removed=[...],
# generators=..., output_path=...)` with the pages (files relative to the output folder) a
# refresh added or removed: a tag gaining or losing a page of its listing.
pages_moved = Signal("pages a refresh added to or removed from the site")

STEPS = (read_body, rewrite_body, finalize_body)
# Connected by each plugin's register(), as Pelican's signals are, and like them
# disconnected after each build (blogcore.scope).
SIGNALS = (check_body, retag, *STEPS, write_body, pages_moved)


class NotRefreshable(Exception):
    """Only a whole build can show this edit; the message says why."""


def generator_of(generators, kind):
    """The generator of class `kind` among `generators`, or None."""
    return next((generator for generator in generators if isinstance(generator, kind)), None)


def tags_given_or_taken(old_tags, new_tags):
    """The slugs of the tags in only one of `old_tags` and `new_tags` (Tag objects): the
    tags whose lists a tag change alters. A post sharing none of them with the retagged
    post shares as many tags with it as before."""
    return {tag.slug for tag in old_tags or ()} ^ {tag.slug for tag in new_tags or ()}
