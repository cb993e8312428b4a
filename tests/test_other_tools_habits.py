"""Habits from Hugo and Jekyll never publish a post silently: their draft fields, a drafts
folder, TOML front matter and words for "not yet" are errors naming what to write."""

import pytest
from support import ROOT, minimal_files, post, write_site

from tools.build import check

YAML = "---\ntitle: Salary Talk\ndate: 2014-06-01 09:00\ncategory: Job Interviews\nauthors: [ada-writer]\n"
YAML_ID = "id: 1d2c3b4a-5968-4f7e-8d6c-5b4a39281707\n"
SHOWN = "content/posts/salary-talk.md"


def problems_for(tmp_path, files):
    content = write_site(tmp_path, {**minimal_files(), **files})
    return [str(problem) for problem in check(ROOT / "pelicanconf.py", {"PATH": str(content)}).problems]


@pytest.mark.parametrize(
    ("line", "tool"), [("draft: true", "Hugo"), ("draft: yes", "Hugo"), ("published: false", "Jekyll")]
)
def test_another_tools_way_of_holding_a_post_back_is_an_error(tmp_path, line, tool):
    text = YAML + line + "\n" + YAML_ID + "---\nBody.\n"
    assert problems_for(tmp_path, {"posts/salary-talk.md": text}) == [
        f"{SHOWN}:6: {line.split(':')[0]}: is {tool}'s field, which this site does not read: the post would be "
        "published; write 'Status: draft' instead"
    ]


@pytest.mark.parametrize(
    ("line", "fix"),
    [
        ("draft: false", "delete the line: a post is published unless it says 'Status: draft'"),
        ("published: true", "delete the line: a post is published unless it says 'Status: draft'"),
        ("layout: post", "delete the line: the site's theme lays out every post"),
        ("permalink: /salary/", "delete the line, or write the address as 'Slug: <slug>'"),
    ],
)
def test_another_tools_harmless_field_is_a_warning(tmp_path, line, fix):
    name = line.split(":")[0]
    tool = "Hugo" if name == "draft" else "Jekyll"
    text = YAML + line + "\n" + YAML_ID + "---\nBody.\n"
    assert problems_for(tmp_path, {"posts/salary-talk.md": text}) == [
        f"{SHOWN}:6: {name}: is {tool}'s field, which this site does not read; {fix}"
    ]


@pytest.mark.parametrize("folder", ["drafts", "_drafts", "Drafts"])
def test_a_post_in_a_drafts_folder_must_say_it_is_a_draft(tmp_path, folder):
    problems = problems_for(tmp_path, {f"posts/{folder}/salary-talk.md": post("Salary Talk")})
    assert problems == [
        f"content/posts/{folder}/salary-talk.md:1: Status: the post is in a drafts folder but not a draft: it would "
        "be published; add 'Status: draft' to its header (or move it out of the folder to publish it)"
    ]


def test_a_draft_in_a_drafts_folder_is_fine(tmp_path):
    assert problems_for(tmp_path, {"posts/drafts/salary-talk.md": post("Salary Talk", Status="draft")}) == []


def test_a_site_kept_in_a_folder_named_drafts_is_not_taken_for_one(tmp_path):
    assert problems_for(tmp_path / "drafts", {"posts/salary-talk.md": post("Salary Talk")}) == []


def test_toml_front_matter_is_one_error(tmp_path):
    text = '+++\ntitle = "Salary Talk"\ndate = 2014-06-01T09:00:00Z\n+++\nBody.\n'
    assert problems_for(tmp_path, {"posts/salary-talk.md": text}) == [
        f"{SHOWN}:1: front matter: is TOML (between '+++' lines), which this site does not read; write it as YAML "
        "between '---' lines (title: ...), or as 'Title: ...' lines"
    ]


@pytest.mark.parametrize("status", ["unpublished", "Private", "pending"])
def test_a_word_for_not_yet_is_told_to_be_draft_not_published(tmp_path, status):
    problems = problems_for(tmp_path, {"posts/salary-talk.md": post("Salary Talk", Status=status)})
    assert problems == [f"{SHOWN}:6: Status: '{status}' is not allowed; write 'Status: draft' to hold the post back"]
