"""Incremental builds write what a clean build writes (issue 18 item 2).

A site is built once with the caches `make html` keeps, then edited step by step (a post's
body, title, date, tags, category, author, partner or series position; a post added,
deleted or renamed; an author's bio; a template; a setting), and rebuilt after each step
from the previous build's record and output (plugins/fastbuild/pagerecord.py). After every
step each file is compared with a clean build of the edited site by Pelican alone, in a
fresh process. Hypothesis draws the sequences (derandomised, no example database); one
fixed sequence makes every kind of edit in turn.
"""

import os
import shutil
from pathlib import Path

from edited_site import EDIT_SEQUENCES, FEED_ITEMS, KINDS, POSTS, Site, apply, incremental_overrides, write_content
from hypothesis import example, given, settings
from hypothesis import strategies as st
from support import assert_same_folders, build_site, build_with_pelican_alone


def reused_pages(output):
    """Pages the last build took from the one before (hard links: the replaced site, moved
    aside until the next build, still holds the other name)."""
    return sum(1 for path in Path(output).rglob("*.html") if os.stat(path).st_nlink > 1)


def check_edits(folder, edits):
    """Build, then apply `edits` one by one, comparing each incremental build with a clean
    one; return the pages reused after each edit."""
    theme = folder / "theme"
    shutil.copytree(Path(__file__).resolve().parent.parent / "theme", theme)
    content = folder / "site" / "content"
    site, overrides = Site(), {"SYNDICATION_ITEM_LIMIT": FEED_ITEMS}
    for _ in range(POSTS):
        site.new_post()
    site.series = ["post-2.md", "post-5.md"]
    write_content(content, site)
    output = folder / "output"
    build_site(content, output, **incremental_overrides(folder, theme, overrides))
    reused = []
    for step, (edit, number) in enumerate(edits):
        apply(edit, number, site, theme, overrides)
        write_content(content, site)
        build_site(content, output, **incremental_overrides(folder, theme, overrides))
        clean = folder / f"clean-{step}"
        build_with_pelican_alone(content, clean, THEME=str(theme), **overrides)
        assert_same_folders(clean, output)
        reused.append(reused_pages(output))
        shutil.rmtree(clean)
    return reused


@settings(max_examples=3, **EDIT_SEQUENCES)
@given(st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 999)), min_size=1, max_size=3))
@example([(kind, 1 + 2 * number) for number, kind in enumerate(KINDS)])
def test_every_incremental_build_is_a_clean_build(tmp_path_factory, edits):
    check_edits(tmp_path_factory.mktemp("edits"), edits)


def test_an_edit_of_an_old_post_reuses_the_pages_that_do_not_show_it(tmp_path):
    # Guards the test above against passing because nothing is ever reused: after a body
    # edit of the oldest post most pages are taken from the previous build; after a
    # template edit none is.
    reused = check_edits(tmp_path, [("body", 1), ("template", 1)])
    assert reused[0] > 10
    assert reused[1] == 0
