"""One spelling per tag: variants in case, spaces or hyphens are one tag, shown in the
spelling of the earliest-dated published post; a variant is a warning; tags only one
post uses are named after the build's summary."""

import logging

import feedparser
from editorial.audit import audit_site
from support import ROOT, build_site, minimal_files, overrides_for, post, soup, write_site

from tools.build import build, load_settings
from tools.progress import BuildReport


def tag_site(tmp_path, **extra_posts):
    """An established post (2014-02) tagged 'Recruiters, Career Change' and a newer one
    spelling both otherwise, plus `extra_posts` ({file stem: post text})."""
    files = minimal_files()
    files["posts/a-post.md"] = post("Old Post", Date="2014-02-01 09:00", Tags="Recruiters, Career Change")
    files["posts/new-post.md"] = post("New Post", Date="2014-06-01 09:00", Tags="recruiters, career-change, Salary")
    for stem, text in extra_posts.items():
        files[f"posts/{stem}.md"] = text
    return write_site(tmp_path, files)


def audit(content):
    return audit_site(load_settings(ROOT / "pelicanconf.py", overrides_for(content)))


VARIANT_WARNINGS = [
    "content/posts/new-post.md:4: Tags: 'career-change' is written 'Career Change' on this site; "
    "write 'Career Change', as the other posts do",
    "content/posts/new-post.md:4: Tags: 'recruiters' is written 'Recruiters' on this site; "
    "write 'Recruiters', as the other posts do",
]


def test_a_variant_spelling_is_a_warning_naming_the_established_one(tmp_path):
    result = audit(tag_site(tmp_path))
    assert [str(problem) for problem in result.problems] == VARIANT_WARNINGS
    assert result.errors == []


def test_the_site_shows_the_established_spelling_everywhere(tmp_path, caplog):
    content = tag_site(tmp_path)
    output = tmp_path / "output"
    with caplog.at_level(logging.WARNING):
        build_site(content, output)
    assert [r.getMessage() for r in caplog.records if "Tags:" in r.getMessage()] == VARIANT_WARNINGS
    page = soup(output / "tag/recruiters/index.html")
    assert page.h1.get_text() == "Tag: Recruiters"
    assert len(page.find_all("article")) == 2
    assert (output / "tag/career-change/index.html").is_file()
    listing = [a.get_text() for a in soup(output / "tags/index.html").select(".term-list a")]
    assert listing == ["Career Change", "Recruiters", "Salary"]
    footer = soup(output / "2014/06/new-post/index.html").find("a", rel="bookmark").parent.get_text()
    assert "tagged Recruiters, Career Change and Salary." in footer
    feed = feedparser.parse((output / "feeds/all.rss.xml").read_bytes())
    new_entry = next(entry for entry in feed.entries if entry.title == "New Post")
    assert {tag.term for tag in new_entry.tags} >= {"Recruiters", "Career Change", "Salary"}
    assert not {tag.term for tag in new_entry.tags} & {"recruiters", "career-change"}


def test_the_earliest_published_post_decides_and_drafts_do_not(tmp_path):
    # An older draft spelling it 'RECRUITERS' does not decide; the 2014-02 post does.
    draft = post("Draft", Date="2013-01-01 09:00", Tags="RECRUITERS", Status="draft")
    result = audit(tag_site(tmp_path, **{"z-draft": draft}))
    assert (
        "content/posts/z-draft.md:4: Tags: 'RECRUITERS' is written 'Recruiters' on this site; "
        "write 'Recruiters', as the other posts do"
    ) in [str(problem) for problem in result.problems]
    assert result.tag_spellings["recruiters"] == "Recruiters"


def test_an_older_post_makes_its_spelling_the_established_one(tmp_path):
    older = post("Older", Date="2013-05-01 09:00", Tags="recruiters")
    result = audit(tag_site(tmp_path, older=older))
    assert result.tag_spellings["recruiters"] == "recruiters"
    assert (
        "content/posts/a-post.md:4: Tags: 'Recruiters' is written 'recruiters' on this site; "
        "write 'recruiters', as the other posts do"
    ) in [str(problem) for problem in result.problems]


def test_spaces_and_hyphens_do_not_make_another_tag(tmp_path):
    other = post("Other", Date="2014-07-01 09:00", Tags="Career-Change, careerchange")
    result = audit(tag_site(tmp_path, other=other))
    other_warnings = [str(p) for p in result.problems if p.path == "content/posts/other.md"]
    assert other_warnings == [
        "content/posts/other.md:4: Tags: 'Career-Change' is written 'Career Change' on this site; "
        "write 'Career Change', as the other posts do",
        "content/posts/other.md:4: Tags: 'careerchange' is written 'Career Change' on this site; "
        "write 'Career Change', as the other posts do",
    ]


def test_tags_only_one_post_uses_are_named_after_the_summary(tmp_path):
    content = tag_site(tmp_path)
    assert audit(content).new_tags == [("Salary", "content/posts/new-post.md")]
    report = BuildReport(live=False)
    build(ROOT / "pelicanconf.py", tmp_path / "output", overrides_for(content), report)
    assert report.new_tags_line() == "New tags: Salary (content/posts/new-post.md)"


def test_no_new_tags_line_when_every_tag_is_shared(tmp_path):
    files = minimal_files()
    files["posts/b-post.md"] = post("B Post")  # the same tags as a-post
    report = BuildReport(live=False)
    build(ROOT / "pelicanconf.py", tmp_path / "output", overrides_for(write_site(tmp_path, files)), report)
    assert report.new_tags == [] and report.new_tags_line() == ""


def test_a_new_tag_near_an_established_one_is_a_warning_naming_it(tmp_path):
    typo = post("Typo Post", Date="2014-07-01 09:00", Tags="Recruiter, Carreer Change, Negotiation")
    result = audit(tag_site(tmp_path, typo=typo))
    near = [str(problem) for problem in result.problems if "is a new tag" in str(problem)]
    assert near == [
        "content/posts/typo.md:4: Tags: 'Carreer Change' is a new tag, close to the site's 'Career Change'; "
        "write 'Career Change' if it is the same tag",
        "content/posts/typo.md:4: Tags: 'Recruiter' is a new tag, close to the site's 'Recruiters'; "
        "write 'Recruiters' if it is the same tag",
    ]  # 'Negotiation' and 'Salary' are new too, but near no tag of the site
