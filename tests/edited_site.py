"""A small site to edit step by step, for the tests of incremental builds and of the dev
server's refreshes: its content as data (Site), the edits an editor makes (apply) and the
settings `make html` builds it with (incremental_overrides)."""

from dataclasses import dataclass, field

from hypothesis import HealthCheck
from support import AUTHOR, PARTNER, SERIES, cached_fast_overrides, post

# Hypothesis settings of the edit-sequence tests: derandomised, no example database, the
# sites built per example (slow, and through function-scoped fixtures).
EDIT_SEQUENCES = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
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


def incremental_overrides(folder, theme, overrides):
    """What `make html` runs with (caches on), two workers from the first page."""
    return cached_fast_overrides(folder, THEME=str(theme), **overrides)
