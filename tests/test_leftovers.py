"""A post that is not a draft keeps nothing `make newpost` wrote for the editor to replace,
and no HTML comment of a body reaches a page, a listing or a feed."""

import pytest
from blogcore.problems import ContentProblems
from support import ROOT, build_site, minimal_files, post, write_site

from tools import newcontent
from tools.build import check

COMMENT_FIX = "delete the comment, from its '<!--' line to its '-->' line"


def audit_lines(content):
    return [str(problem) for problem in check(ROOT / "pelicanconf.py", {"PATH": str(content)}).problems]


def new_post(tmp_path):
    """A site with a post made by `make newpost`'s own code; return (content, post path)."""
    content = write_site(tmp_path, minimal_files())
    settings = tmp_path / "settings.py"
    settings.write_text(f"from pelicanconf import *  # noqa: F403\nPATH = {str(content)!r}\n", encoding="utf-8")
    path, _, _ = newcontent.new_post(newcontent.Site(settings), "Salary Talk", "ada-writer")
    return content, path


def line_of(path, text):
    return path.read_text(encoding="utf-8").split("\n").index(text) + 1


def publish(path):
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nStatus: draft\n", "\nStatus: published\n", 1), encoding="utf-8")


def test_a_draft_may_keep_what_newpost_wrote(tmp_path):
    content, _ = new_post(tmp_path)
    assert [line for line in audit_lines(content) if "make newpost" in line] == []


def test_a_published_post_with_newposts_comment_and_placeholder(tmp_path):
    content, path = new_post(tmp_path)
    publish(path)
    shown = "content/posts/salary-talk.md"
    problems = [line for line in audit_lines(content) if ": body: " in line]
    assert problems == [
        f"{shown}:{line_of(path, '<!--')}: body: still holds the comment make newpost wrote, and the post "
        f"is not a draft; {COMMENT_FIX}",
        f"{shown}:{line_of(path, 'Write the post here, in Markdown.')}: body: still holds make newpost's "
        "placeholder 'Write the post here, in Markdown.'; write the post in its place",
    ]


def test_a_post_without_status_is_checked_too(tmp_path):
    # The editor also edited the comment's first line: its other line still marks it.
    content, path = new_post(tmp_path)
    text = path.read_text(encoding="utf-8").replace("\nStatus: draft\n", "\n", 1).replace("'Status: draft'", "it")
    path.write_text(text.replace("Write the post here, in Markdown.", "Salary talk, for real."), encoding="utf-8")
    problems = [line for line in audit_lines(content) if ": body: " in line]
    assert problems == [
        f"content/posts/salary-talk.md:{line_of(path, '<!--')}: body: still holds the comment make newpost "
        f"wrote, and the post is not a draft; {COMMENT_FIX}"
    ]


def test_a_published_post_once_written_passes(tmp_path):
    content, path = new_post(tmp_path)
    publish(path)
    text = path.read_text(encoding="utf-8")
    body = text[text.index("<!--") :]
    path.write_text(text.replace(body, "Salary talk, for real.\n"), encoding="utf-8")
    assert [line for line in audit_lines(content) if ": body: " in line] == []


def test_leftovers_stop_the_build(tmp_path):
    content, path = new_post(tmp_path)
    publish(path)
    with pytest.raises(ContentProblems) as raised:
        build_site(content, tmp_path / "output")
    assert [problem.line for problem in raised.value.problems if problem.field == "body"] == [
        line_of(path, "<!--"),
        line_of(path, "Write the post here, in Markdown."),
    ]
    assert not (tmp_path / "output").exists()


def test_a_bodys_comment_reaches_no_page_listing_or_feed(tmp_path):
    body = "<!-- editor note: check the salary figures -->\n\nA paragraph of advice.\n\nAnother paragraph."
    content = write_site(tmp_path, {**minimal_files(), "posts/a-post.md": post(body=body)})
    output = tmp_path / "output"
    build_site(content, output)
    written = [path for path in output.rglob("*") if path.suffix in (".html", ".xml", ".json")]
    assert (output / "index.html") in written
    assert any("feeds" in path.parts for path in written)
    assert [path for path in written if "editor note" in path.read_text(encoding="utf-8")] == []
    assert "A paragraph of advice." in (output / "index.html").read_text(encoding="utf-8")


# --- the end of a `Key: value` header ------------------------------------------------------

HEADER = (
    "Title: A Post\nDate: 2014-03-05 09:00\nCategory: Job Interviews\nAuthors: ada-writer\n"
    "Id: 3b2a1908-f7e6-4d5c-b4a3-928170605040\n"
)


def test_a_field_like_first_body_line_without_a_blank_line_is_an_error(tmp_path):
    text = HEADER + "Note: recruiters call when they have a job to fill.\nSo take the call.\n"
    content = write_site(tmp_path, {**minimal_files(), "posts/a-post.md": text})
    assert audit_lines(content) == [
        "content/posts/a-post.md:6: Note: unknown field right before the body, so this line is not shown; "
        "add a blank line above it if it is text, or correct the field name"
    ]


def test_a_misspelt_last_field_before_the_body_gets_a_suggestion(tmp_path):
    text = HEADER + "Summery: Take the call.\nRecruiters call when they have a job to fill.\n"
    content = write_site(tmp_path, {**minimal_files(), "posts/a-post.md": text})
    assert audit_lines(content) == [
        "content/posts/a-post.md:6: Summery: unknown field right before the body, so this line is not shown; "
        "add a blank line above it if it is text, or correct the field name (did you mean Summary?)"
    ]


def test_a_misspelt_field_inside_the_header_stays_a_warning(tmp_path):
    text = HEADER.replace("Date:", "Catgory: Job Interviews\nDate:") + "Recruiters call.\n"
    content = write_site(tmp_path, {**minimal_files(), "posts/a-post.md": text})
    assert audit_lines(content) == ["content/posts/a-post.md:2: Catgory: unknown field; did you mean Category?"]


def test_the_swallowed_line_stops_the_build(tmp_path):
    text = HEADER + "Note: recruiters call when they have a job to fill.\nSo take the call.\n"
    content = write_site(tmp_path, {**minimal_files(), "posts/a-post.md": text})
    with pytest.raises(ContentProblems) as raised:
        build_site(content, tmp_path / "output")
    assert [(problem.line, problem.field) for problem in raised.value.problems] == [(6, "Note")]


def test_a_page_gets_the_same_error(tmp_path):
    files = {**minimal_files(), "pages/about.md": "Title: About\nNote: this blog is written by recruiters.\n"}
    files["pages/about.md"] += "And career coaches.\n"
    content = write_site(tmp_path, files)
    assert audit_lines(content) == [
        "content/pages/about.md:2: Note: unknown field right before the body, so this line is not shown; "
        "add a blank line above it if it is text, or correct the field name"
    ]
