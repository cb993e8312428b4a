"""The audit cache (EDITORIAL_CACHE): a post is checked again exactly when its result could differ."""

from editorial.audit import audit_site
from support import ROOT, minimal_files, post, write_site

from tools.build import load_settings


def audit(tmp_path, content):
    """Audit `content` with the cache on, kept in tmp_path/cache; return (messages, SiteAudit)."""
    settings = load_settings(
        ROOT / "pelicanconf.py",
        {"PATH": str(content), "EDITORIAL_CACHE": True, "EDITORIAL_CACHE_PATH": str(tmp_path / "cache")},
    )
    result = audit_site(settings)
    return [str(problem) for problem in result.problems], result


def site_with_problem(tmp_path):
    files = minimal_files()
    files["posts/b-post.md"] = post("B Post", Tags="Recruiters, Interviews", Image="images/missing.svg", Image_alt="x")
    return write_site(tmp_path, files)


MISSING_IMAGE = (
    "content/posts/b-post.md:6: Image: file 'images/missing.svg' not found in content/; "
    "check the path, e.g. images/<file>.svg"
)


def test_a_second_audit_reports_the_same_problems_from_the_cache(tmp_path):
    content = site_with_problem(tmp_path)
    first, _ = audit(tmp_path, content)
    assert (tmp_path / "cache" / "audit.pickle").is_file()
    second, result = audit(tmp_path, content)
    assert second == first == [MISSING_IMAGE]
    # A cached post comes back without its body; its header is all the site-wide rules need.
    assert all(source.body == "" for source in result.posts.values())


def test_an_edited_post_is_checked_again(tmp_path):
    content = site_with_problem(tmp_path)
    audit(tmp_path, content)
    (content / "posts/b-post.md").write_text(post("B Post"), encoding="utf-8")
    assert audit(tmp_path, content)[0] == []
    (content / "posts/b-post.md").write_text(post("B Post", Category="Job Interview"), encoding="utf-8")
    problems, _ = audit(tmp_path, content)
    assert problems == [
        "content/posts/b-post.md:3: Category: unknown category 'Job Interview'; did you mean 'Job Interviews'?"
    ]


def test_adding_the_missing_image_clears_the_cached_problem(tmp_path):
    content = site_with_problem(tmp_path)
    assert audit(tmp_path, content)[0] == [MISSING_IMAGE]
    (content / "images").mkdir()
    (content / "images/missing.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    assert audit(tmp_path, content)[0] == []


def test_deleting_an_author_profile_rechecks_the_unchanged_posts(tmp_path):
    content = write_site(tmp_path, minimal_files())
    assert audit(tmp_path, content)[0] == []
    (content / "authors/ada-writer.md").unlink()
    problems, _ = audit(tmp_path, content)
    assert any("content/posts/a-post.md:5: Authors: unknown author 'ada-writer'" in line for line in problems)


def test_site_wide_rules_still_see_cached_posts(tmp_path):
    files = minimal_files()
    files["posts/b-post.md"] = post("B Post")
    content = write_site(tmp_path, files)
    assert audit(tmp_path, content)[0] == []
    # Only c-post is new; the clash is with a-post, which comes from the cache.
    (content / "posts/c-post.md").write_text(post("Another", Slug="a-post"), encoding="utf-8")
    problems, _ = audit(tmp_path, content)
    assert problems == [
        "content/posts/c-post.md:6: Slug: slug 'a-post' is already used by a-post.md; give this post its own Slug"
    ]


def test_a_damaged_cache_is_ignored(tmp_path):
    content = site_with_problem(tmp_path)
    audit(tmp_path, content)
    (tmp_path / "cache" / "audit.pickle").write_bytes(b"not a pickle")
    assert audit(tmp_path, content)[0] == [MISSING_IMAGE]


def test_renaming_an_author_in_the_profile_rechecks_posts_naming_them(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Authors="Ada Writer")  # by name, not id
    content = write_site(tmp_path, files)
    assert audit(tmp_path, content)[0] == []
    profile = content / "authors/ada-writer.md"
    profile.write_text(profile.read_text(encoding="utf-8").replace("Name: Ada Writer", "Name: Ada Wright"))
    problems, _ = audit(tmp_path, content)
    assert any("content/posts/a-post.md:5: Authors: unknown author 'Ada Writer'" in line for line in problems)
