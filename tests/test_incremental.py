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
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from support import AUTHOR, PARTNER, SERIES, assert_same_folders, build_site, build_with_pelican_alone, post

CATEGORIES = ("Job Interviews", "Job Offers", "Career Moves")
TAGS = ("Recruiters", "Interviews", "Offers", "Salary", "Feedback", "Networking")
AUTHORS = ("ada-writer", "ben-writer")
# Feeds of 3 items (SYNDICATION_ITEM_LIMIT) over 24 posts: an old post is in no feed, so
# the pages showing it are its own, its neighbours', its related posts' and its listings',
# and an edit of it leaves other pages alone, as on a large site.
POSTS = 24
FEED_ITEMS = 3
KINDS = (
    "body", "title", "date", "tags", "category", "author", "bio", "partner", "series",
    "add", "delete", "rename", "template", "setting",
)  # fmt: skip


@dataclass
class Site:
    """The content of the site being edited, from which its files are written."""

    posts: dict = field(default_factory=dict)  # file name -> fields (and "body")
    series: list = field(default_factory=list)  # file names of the parts, in order
    bios: dict = field(default_factory=lambda: dict.fromkeys(AUTHORS, "Writes about careers."))
    made: int = 0  # posts ever made: new titles, dates and ids stay unique

    def new_post(self, number=None):
        number = self.made if number is None else number
        self.made = max(self.made, number) + 1
        self.posts[f"post-{number}.md"] = {
            "Title": f"Post number {number}",
            "Date": f"2014-{number % 12 + 1:02d}-{number % 27 + 1:02d} 09:{number % 60:02d}",
            "Category": CATEGORIES[number % 3],
            "Tags": ", ".join(TAGS[number % 6 : number % 6 + 1 + number % 2]),
            "Authors": AUTHORS[number % 2],
            "Id": f"00000000-0000-4000-8000-{number:012d}",
            "body": f"The advice of post {number}.\n\nA [link]({{filename}}/posts/post-0.md) to the first.",
        }

    def files(self):
        """{relative path: text} of the content folder."""
        files = {"partners/acme-hiring.md": PARTNER, "series/test-series.md": SERIES}
        for author in AUTHORS:
            name = "Ada Writer" if author == "ada-writer" else "Ben Writer"
            files[f"authors/{author}.md"] = AUTHOR.replace("Ada Writer", name).replace(
                "Ada writes about interviews.", self.bios[author]
            )
        files["pages/about.md"] = "Title: About\n\nAbout this site.\n"
        for name, fields in self.posts.items():
            fields = dict(fields)
            if name in self.series:
                fields["Series"], fields["Series_index"] = "test-series", str(self.series.index(name) + 1)
            files[f"posts/{name}"] = post(fields.pop("Title"), **fields)
        return files


def apply(edit, number, site, theme, overrides):
    """Make edit `edit` (one of KINDS), choosing what to edit by `number`."""
    names = sorted(site.posts)
    # Mostly the oldest posts, which few pages show (see POSTS), sometimes any.
    name = names[number % 4] if number % 3 else names[number % len(names)]
    fields = site.posts[name]
    if edit == "body":
        fields["body"] += f"\n\nA paragraph added by edit {number}."
    elif edit == "title":
        fields["Title"] = f"{fields['Title']} revised {number}"
    elif edit == "date":
        fields["Date"] = f"2013-{number % 12 + 1:02d}-{number % 28 + 1:02d} 10:{number % 60:02d}"
    elif edit == "tags":
        fields["Tags"] = ", ".join(TAGS[number % 6 : number % 6 + 1 + number % 3])
    elif edit == "category":
        fields["Category"] = CATEGORIES[(CATEGORIES.index(fields["Category"]) + 1 + number) % 3]
    elif edit == "author":
        fields["Authors"] = AUTHORS[number % 2] if number % 3 else ", ".join(AUTHORS)
    elif edit == "bio":
        site.bios[AUTHORS[number % 2]] += f" Edited {number}."
    elif edit == "partner":
        if fields.pop("Partner", None) is None:
            fields["Partner"] = "acme-hiring"
    elif edit == "series":
        if name in site.series:
            site.series.remove(name)
            if number % 2 and site.series:
                site.series.insert(number % (len(site.series) + 1), name)
        else:
            site.series.insert(number % (len(site.series) + 1), name)
    elif edit == "add":
        site.new_post()
    elif edit == "delete":
        if len(site.posts) > 2 and name != "post-0.md":  # every post links post-0
            del site.posts[name]
            if name in site.series:
                site.series.remove(name)
    elif edit == "rename":
        renamed = f"renamed-{number}-{name}"
        if renamed not in site.posts and name != "post-0.md":
            site.posts[renamed] = site.posts.pop(name)
            if name in site.series:
                site.series[site.series.index(name)] = renamed
    elif edit == "template":
        template = theme / "templates" / ("article.html" if number % 2 else "base.html")
        text = template.read_text(encoding="utf-8")
        template.write_text(text.rstrip("\n") + f"\n{{# edit {number} #}}<!-- edit {number} -->\n", encoding="utf-8")
    elif edit == "setting":
        overrides["SITE_TAGLINE"] = f"A tagline set by edit {number}."
        overrides["DEFAULT_PAGINATION"] = 3 + number % 5


def write_content(content, site):
    """Make `content` hold exactly the site's files (removing the ones it no longer has)."""
    files = site.files()
    for path in list(content.rglob("*.md")):
        if path.relative_to(content).as_posix() not in files:
            path.unlink()
    for relative, text in files.items():
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def reused_pages(output):
    """Pages the last build took from the one before (hard links: the replaced site, moved
    aside until the next build, still holds the other name)."""
    return sum(1 for path in Path(output).rglob("*.html") if os.stat(path).st_nlink > 1)


def incremental_overrides(folder, theme, overrides):
    """What `make html` runs with (caches on), two workers from the first page."""
    return {
        "THEME": str(theme),
        "FASTBUILD_WORKERS": 2,
        "FASTBUILD_MIN_BATCH": 1,
        "FASTBUILD_CACHE": True,
        "FASTBUILD_CACHE_PATH": str(folder / "cache"),
        "EDITORIAL_CACHE": True,
        "EDITORIAL_CACHE_PATH": str(folder / "editorial-cache"),
        **overrides,
    }


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


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
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
