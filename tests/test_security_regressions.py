"""Holes a red-team review found after the security work, each reproduced and refused.

Every case builds a real fixture site; the build must refuse the file by name (never build
it, never a traceback), so nothing of it reaches a page or a feed.
"""

import html5lib
import pytest
from blogcore.problems import ContentProblems
from support import build_site, minimal_files, post, write_site

REFRESH = '<meta http-equiv="refresh" content="0;url=https://evil.example/">'

CASES = {
    # Pelican fills {filename} links in after the sanitiser, unescaping the link's rest.
    "posts/q&a.md": (
        post("QA", Partner="acme-hiring", body=f"<a href='{{filename}}q&a.md?x\">{REFRESH}'>x</a>"),
        "body",
    ),
    # Its pattern over the text takes href='{tag}... inside another attribute for a link.
    "posts/quote.md": (
        post(
            "Quote",
            Partner="acme-hiring",
            body='<a title="x href=\'{tag}y">t\'" onfocus="alert(1)" autofocus tabindex="1" x="</a>',
        ),
        "body",
    ),
    # A scheme after the placeholder survives Pelican's rewriting.
    "posts/scheme.md": (post("Scheme", body="[here]({tag}javascript:x?%0aalert(1))"), "body"),
    # A URL field with a scheme would be every link to the post.
    "posts/url.md": (post("Url", URL="javascript:alert%28document.domain%29", Save_as="guides/js.html"), "URL"),
    # A lone CR ends a line for Markdown and Pelican: the audit must read the same header.
    "posts/cr.md": (
        "Title: Hidden\rSave_as: CNAME\nDate: 2014-03-05 09:00\nCategory: Job Interviews\n"
        "Authors: ada-writer\nPartner: acme-hiring\n\nBody.\n",
        "Save_as",
    ),
    "posts/spaced.md": (
        "Title: Spaced\nDate: 2014-03-05 09:00\nCategory: Job Interviews\nAuthors: ada-writer\n"
        'Partner : acme-hiring\n\n<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>\n',
        "Partner",
    ),
    "posts/superscript.md": (post("Superscript", Series="test-series", Series_index="²"), "Series_index"),
    "posts/huge-part.md": (post("Huge part", Series="test-series", Series_index="20000000"), "Series_index"),
    "posts/template.md": (post("Template", Template="nothere"), "Template"),
    "posts/lang.md": (post("Lang", Lang="fr"), "Lang"),
    "posts/iframe.md": (
        post("Iframe", body='<iframe src="https://evil.example\\@www.youtube-nocookie.com/embed/x"></iframe>'),
        "body",
    ),
    "posts/deep.md": (post("Deep", body="<div>" * 80_000), "body"),
    "authors/...md": ("Name: Dots\n\nBio.\n", "file"),
}


# Header mistakes stop the build before Pelican reads a post; body ones are found when
# Markdown converts them: each group is one build, every file named in its report.
HEADER_CASES = {path: case for path, case in CASES.items() if case[1] != "body"}
BODY_CASES = {path: case for path, case in CASES.items() if case[1] == "body"}


def report_of(root, cases):
    """The report of one build holding `cases`; nothing may be written."""
    files = minimal_files() | {path: text for path, (text, _) in cases.items()}
    with pytest.raises(ContentProblems) as raised:
        build_site(write_site(root, files), root / "output")
    assert not (root / "output").exists()
    return [str(problem) for problem in raised.value.problems]


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    """{case path: its report lines} over both builds."""
    lines = report_of(tmp_path_factory.mktemp("headers"), HEADER_CASES)
    lines += report_of(tmp_path_factory.mktemp("bodies"), BODY_CASES)
    return lines


@pytest.mark.parametrize(("path", "field"), [(path, field) for path, (_, field) in CASES.items()], ids=list(CASES))
def test_each_hole_is_refused_by_file_and_field(refused, path, field):
    lines = [line for line in refused if line.startswith((f"content/{path}:", f"content/{path} "))]
    assert any(line.split(": ", 2)[1] == field for line in lines), "\n".join(refused)


def test_safe_site_links_resolve_to_posts_pages_tags_and_static_files(tmp_path):
    files = minimal_files() | {
        "images/pic.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"></svg>\n',
        "pages/about.md": "Title: About\n\nAbout us.\n",
        "posts/b.md": post(
            "B post",
            body="See [a post]({filename}a-post.md?utm=x#top), [a tag]({tag}recruiters), "
            "[about]({filename}/pages/about.md) and ![a picture]({static}/images/pic.svg).",
        ),
    }
    build_site(write_site(tmp_path, files), tmp_path / "output")
    page = html5lib.parse(
        (tmp_path / "output/2014/03/b-post/index.html").read_text(encoding="utf-8"), namespaceHTMLElements=False
    )
    body = next(div for div in page.iter("div") if div.get("class") == "post-body")
    links = [a.get("href") for a in body.iter("a")] + [img.get("src") for img in body.iter("img")]
    assert links == [
        "https://blog.example.test/2014/03/a-post/?utm=x#top",
        "https://blog.example.test/tag/recruiters/",
        "https://blog.example.test/about/",
        "https://blog.example.test/images/pic.svg",
    ]
