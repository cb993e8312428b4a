"""YAML front matter between '---' lines works exactly like `Key: value` headers: the audit
and Pelican read the same fields, and every mistake is a `file:line: field` problem."""

import copy

import pytest
from blogcore.problems import ContentProblems
from markdown import Markdown
from pelican.settings import read_settings
from support import ROOT, build_site, minimal_files, soup, write_site

from tools.build import check

YAML_POST = """\
---
title: "When a Recruiter Calls"
date: 2014-03-05 09:00
category: Job Interviews
tags: [Recruiters, Interview Preparation]
authors:
  - ada-writer
summary: 'Four reasons to take the call.'
syndicate: no
id: 4c3b2a19-0807-4f6e-9d5c-4b3a29180716
---
Take the call.

Another paragraph.
"""


def problems_for(tmp_path, changes):
    """Audit the minimal site with `changes` applied; every problem as its one-line text."""
    files = minimal_files()
    files.update(changes)
    content = write_site(tmp_path, files)
    return [str(problem) for problem in check(ROOT / "pelicanconf.py", {"PATH": str(content)}).problems]


def yaml_post(*lines, body="A paragraph of advice.\n", with_id=True):
    """A post whose YAML header holds the minimal site's fields, then `lines`, then an id
    (last, so the lines above keep their numbers; with_id=False: a header ending in `lines`)."""
    header = ["title: A Post", "date: 2014-03-05 09:00", "category: Job Interviews", "authors: ada-writer", *lines]
    if with_id:
        header.append("id: 5d4c3b2a-1908-4f7e-8d6c-5b4a39281707")
    return "---\n" + "\n".join(header) + "\n---\n" + body


def site_meta(text):
    """The metadata Python-Markdown hands Pelican for `text`, with the site's extensions."""
    config = copy.deepcopy(read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"])
    md = Markdown(extensions=list(config["extension_configs"]), extension_configs=config["extension_configs"])
    html = md.convert(text)
    return md.Meta, html


def test_a_yaml_post_builds_with_unquoted_title_and_list_tags(tmp_path):
    content = write_site(tmp_path, {**minimal_files(), "posts/a-post.md": YAML_POST})
    output = tmp_path / "output"
    build_site(content, output)
    page = soup(output / "2014" / "03" / "when-a-recruiter-calls" / "index.html")
    assert page.find("h1").get_text(strip=True) == "When a Recruiter Calls"
    assert (output / "tag" / "recruiters" / "index.html").is_file()
    assert (output / "tag" / "interview-preparation" / "index.html").is_file()
    tags = sorted(path.name for path in (output / "tag").iterdir() if path.is_dir())
    assert tags == ["interview-preparation", "recruiters"]
    assert "Take the call." in page.get_text()
    assert "title:" not in page.get_text()


def test_a_yaml_post_passes_the_audit(tmp_path):
    assert problems_for(tmp_path, {"posts/a-post.md": YAML_POST}) == []


def test_yaml_and_key_value_headers_give_pelican_the_same_metadata():
    key_value = (
        "Title: When a Recruiter Calls\nDate: 2014-03-05 09:00\nCategory: Job Interviews\n"
        "Tags: Recruiters, Interview Preparation\nAuthors: ada-writer\n"
        "Summary: Four reasons to take the call.\nSyndicate: no\n"
        "Id: 4c3b2a19-0807-4f6e-9d5c-4b3a29180716\n\nTake the call.\n\nAnother paragraph.\n"
    )
    yaml_meta, yaml_html = site_meta(YAML_POST)
    plain_meta, plain_html = site_meta(key_value)
    assert yaml_meta == {name.lower(): value for name, value in plain_meta.items()}
    assert yaml_meta["tags"] == ["Recruiters, Interview Preparation"]
    assert yaml_html == plain_html


def test_a_yaml_summary_is_not_read_as_a_header_again():
    # Pelican converts Summary with the meta extension switched off: the text stays text.
    meta, _ = site_meta(yaml_post("summary: |\n  ---\n  a: b\n  ---"))
    assert meta["summary"] == ["--- a: b ---"]


def test_a_block_scalar_becomes_one_line(tmp_path):
    text = yaml_post("summary: >\n  Four reasons\n  to take the call.")
    meta, _ = site_meta(text)
    assert meta["summary"] == ["Four reasons to take the call."]
    assert problems_for(tmp_path, {"posts/a-post.md": text}) == []


def test_keys_are_case_insensitive_and_a_repeated_key_is_an_error(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": yaml_post("Title: Another")})
    assert problems == [
        "content/posts/a-post.md:6: Title: given twice (first on line 2); keep one line and delete the other"
    ]


def test_rule_messages_name_the_yaml_line(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": yaml_post("tags:\n  - Recruiters\n  -\n")})
    assert problems == [
        "content/posts/a-post.md:6: Tags: empty tag; remove the doubled or trailing comma, or delete the Tags line"
    ]
    text = yaml_post().replace("authors: ada-writer", "authors: [Ada Writter]")
    problems = problems_for(tmp_path / "two", {"posts/a-post.md": text})
    assert problems == [
        "content/posts/a-post.md:5: Authors: unknown author 'Ada Writter'; did you mean 'Ada Writer' "
        "(authors/ada-writer.md)?"
    ]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["image: images/x.jpg", "image_alt: Title: subtitle"],
            "content/posts/a-post.md:7: front matter: is not valid YAML (mapping values are not allowed here); "
            "write 'field: value', and put a value holding ': ' or ' #' in double quotes",
        ),
        (
            ["series:", "  name: test-series"],
            "content/posts/a-post.md:6: series: holds indented 'name: value' lines (a YAML mapping), which no "
            "field takes; write the value on the field's line, or a list of '- item' lines",
        ),
        (
            ["tags:", "  - [Recruiters, Interviews]"],
            "content/posts/a-post.md:7: tags: holds a list inside a list; write each item as a plain '- item' line",
        ),
        (
            ['tags: ["Recruiters, Interviews"]'],
            "content/posts/a-post.md:6: tags: list item 'Recruiters, Interviews' holds a ',' or ';', which "
            "separate items; make it two items, or leave the punctuation out",
        ),
        (
            ["image alt: A picture"],
            "content/posts/a-post.md:6: front matter: 'image alt' is not a field name; use letters, digits, "
            "'_' and '-', e.g. Image_alt",
        ),
    ],
    ids=["invalid", "mapping", "nested-list", "comma-item", "bad-key"],
)
def test_yaml_mistakes_are_errors_with_their_line(tmp_path, lines, expected):
    problems = problems_for(tmp_path, {"posts/a-post.md": yaml_post(*lines)})
    assert expected in problems
    assert all(problem.startswith("content/posts/a-post.md:") for problem in problems)


def test_a_header_that_is_not_fields(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": "---\n- Title\n- Date\n---\nBody.\n"})
    assert (
        "content/posts/a-post.md:2: front matter: is not 'field: value' lines; "
        "write one 'field: value' per line between the '---' lines"
    ) in problems


def test_an_unclosed_header_is_an_error(tmp_path):
    text = yaml_post().replace("\n---\n", "\n\n")
    problems = problems_for(tmp_path, {"posts/a-post.md": text})
    assert problems == [
        "content/posts/a-post.md:1: front matter: opens with '---' but no '---' line closes it; "
        "end the header with a line of three hyphens, ---"
    ]


def test_a_yaml_mistake_stops_the_build_and_keeps_the_output(tmp_path):
    content = write_site(tmp_path, minimal_files())
    output = tmp_path / "output"
    build_site(content, output)
    before = {path: path.read_bytes() for path in output.rglob("*") if path.is_file()}
    (content / "posts" / "a-post.md").write_text(yaml_post("tags: [Recruiters", with_id=False), encoding="utf-8")
    with pytest.raises(ContentProblems) as raised:
        build_site(content, output)
    assert [str(problem) for problem in raised.value.problems] == [
        "content/posts/a-post.md:6: front matter: is not valid YAML (expected ',' or ']', but got "
        "'<stream end>'); write 'field: value', and put a value holding ': ' or ' #' in double quotes"
    ]
    assert {path: path.read_bytes() for path in output.rglob("*") if path.is_file()} == before


def test_a_yaml_author_profile_reads_like_a_key_value_one(tmp_path):
    profile = '---\nname: "Ada Writer"\nrole: Staff Writer\n---\nAda writes about interviews.\n'
    content = write_site(tmp_path, {**minimal_files(), "authors/ada-writer.md": profile})
    output = tmp_path / "output"
    build_site(content, output)
    page = soup(output / "author" / "ada-writer" / "index.html")
    assert "Ada Writer" in page.find("h1").get_text()
    assert '"Ada Writer"' not in page.get_text()
    assert "Staff Writer" in page.get_text()
    assert "name:" not in page.get_text()
