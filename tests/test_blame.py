"""A duplicate slug, Id or series part is blamed on the file being written, not the one it copied.

The file to change is, in order: the one whose URL is not in the published-URL record,
the one git sees as untracked or modified, the one with the later Date, the later path.
"""

import subprocess

from blogcore.gitstate import changed_files
from support import ROOT, minimal_files, post, write_site

from tools.build import check

ID = "2edb842a-b7c8-401a-bcfd-e3d41ed4a766"
RECORD = "published-urls.txt"


def problems_of(content):
    """Every problem of the audit of `content`, as its one-line text."""
    return [str(problem) for problem in check(ROOT / "pelicanconf.py", {"PATH": str(content)}).problems]


def site(tmp_path, files, record=()):
    """The content folder of the minimal site with `files`, and a record of `record` URLs."""
    content = write_site(tmp_path, {**minimal_files(), **files})
    (content / RECORD).write_text("".join(f"{url}\n" for url in record), encoding="utf-8")
    return content


def git(folder, *args):
    subprocess.run(
        ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def committed(folder):
    """`folder` made a git repository with everything in it committed."""
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "published")
    return folder


def test_a_copied_post_is_told_to_get_its_own_id_not_the_published_one(tmp_path):
    # The published post sorts last and is dated later: only the record tells them apart.
    files = {
        "posts/z-original.md": post("Original", Id=ID, Date="2014-04-01 09:00"),
        "posts/b-copy.md": post("The Copy", Id=ID, Date="2014-03-01 09:00"),
    }
    content = site(tmp_path, files, record=["/2014/04/original/"])
    assert problems_of(content) == [
        f"content/posts/b-copy.md:6: Id: id '{ID}' is already used by z-original.md (published); "
        "give this post its own Id: run make newpost, or copy a new UUID"
    ]


def test_an_untracked_whole_copy_is_not_told_both_are_published(tmp_path):
    # A copy with the original's title and date has the original's (recorded) URL too.
    original = post("Original", Id=ID, Date="2014-04-01 09:00")
    content = committed(site(tmp_path, {"posts/original.md": original}, record=["/2014/04/original/"]))
    (content / "posts" / "copy.md").write_text(original, encoding="utf-8")
    assert problems_of(content) == [
        "content/posts/copy.md:1: Title: gives the slug 'original', already used by original.md (published); "
        "add 'Slug: <another-slug>'",
        f"content/posts/copy.md:6: Id: id '{ID}' is already used by original.md (published); "
        "give this post its own Id: run make newpost, or copy a new UUID",
    ]


def test_a_duplicate_slug_is_blamed_on_the_post_not_yet_published(tmp_path):
    files = {
        "posts/a-post.md": post(Date="2014-03-09 09:00"),  # the minimal site's post, dated later
        "posts/0-new.md": post("New", Slug="a-post", Date="2014-02-20 09:00"),
    }
    content = site(tmp_path, files, record=["/2014/03/a-post/"])
    assert problems_of(content) == [
        "content/posts/0-new.md:6: Slug: slug 'a-post' is already used by a-post.md (published); "
        "give this post its own Slug"
    ]


def test_a_repeated_series_part_is_blamed_on_the_unpublished_part(tmp_path):
    files = {
        "posts/z-part-one.md": post("Part One", Series="test-series", Series_index="1", Date="2014-03-09 09:00"),
        "posts/a-draft.md": post("Draft", Series="test-series", Series_index="1", Date="2014-03-01 09:00"),
    }
    content = site(tmp_path, files, record=["/2014/03/part-one/"])
    assert problems_of(content) == [
        "content/posts/a-draft.md:7: Series_index: part 1 of series 'test-series' is also "
        "z-part-one.md (published); give each part its own number"
    ]


def test_when_both_are_published_the_later_copy_is_blamed_and_told_so(tmp_path):
    files = {
        "posts/b-original.md": post("Original", Id=ID, Date="2014-03-01 09:00"),
        "posts/a-copy.md": post("Copy", Id=ID, Date="2014-03-09 09:00"),
    }
    content = site(tmp_path, files, record=["/2014/03/original/", "/2014/03/copy/"])
    assert problems_of(content) == [
        f"content/posts/a-copy.md:6: Id: id '{ID}' is already used by b-original.md (published); "
        "both are published: give the later copy its own Id: run make newpost, or copy a new UUID"
    ]


def test_without_a_record_the_untracked_file_is_blamed(tmp_path):
    # The committed post is dated later and sorts later: git alone tells them apart.
    content = committed(site(tmp_path, {"posts/z-original.md": post("Original", Id=ID, Date="2014-04-01 09:00")}))
    (content / "posts/a-copy.md").write_text(post("Copy", Id=ID, Date="2014-03-01 09:00"), encoding="utf-8")
    assert problems_of(content) == [
        f"content/posts/a-copy.md:6: Id: id '{ID}' is already used by z-original.md; "
        "give this post its own Id: run make newpost, or copy a new UUID"
    ]


def test_a_modified_file_is_blamed_over_an_unchanged_one(tmp_path):
    files = {
        "posts/z-original.md": post("Original", Id=ID, Date="2014-04-01 09:00"),
        "posts/a-other.md": post("Other", Date="2014-03-01 09:00"),
    }
    content = committed(site(tmp_path, files))
    # The editor pasted the Id into an existing post.
    (content / "posts/a-other.md").write_text(post("Other", Id=ID, Date="2014-03-01 09:00"), encoding="utf-8")
    assert problems_of(content) == [
        f"content/posts/a-other.md:6: Id: id '{ID}' is already used by z-original.md; "
        "give this post its own Id: run make newpost, or copy a new UUID"
    ]


def test_without_record_or_git_the_later_date_is_blamed(tmp_path):
    files = {
        "posts/z-first.md": post("First", Id=ID, Date="2014-03-01 09:00"),
        "posts/a-second.md": post("Second", Id=ID, Date="2014-03-09 09:00"),
    }
    assert problems_of(site(tmp_path, files)) == [
        f"content/posts/a-second.md:6: Id: id '{ID}' is already used by z-first.md; "
        "give this post its own Id: run make newpost, or copy a new UUID"
    ]


def test_with_the_same_date_the_later_path_is_blamed(tmp_path):
    files = {
        "posts/b-post.md": post("A post!"),
        "posts/0-post.md": post("A Post", Id="0f0e0d0c-0b0a-4908-8706-050403020100"),
    }
    assert problems_of(site(tmp_path, files)) == [
        "content/posts/a-post.md:1: Title: gives the slug 'a-post', already used by 0-post.md; "
        "add 'Slug: <another-slug>'",
        "content/posts/b-post.md:1: Title: gives the slug 'a-post', already used by 0-post.md; "
        "add 'Slug: <another-slug>'",
    ]


def test_git_state_lists_untracked_and_modified_files_only(tmp_path):
    folder = committed(write_site(tmp_path, {"kept.md": "a\n", "edited.md": "a\n", "gone.md": "a\n"}))
    (folder / "edited.md").write_text("b\n", encoding="utf-8")
    (folder / "new.md").write_text("c\n", encoding="utf-8")
    (folder / "gone.md").unlink()
    assert changed_files(folder) == {(folder / "edited.md").resolve(), (folder / "new.md").resolve()}


def test_git_state_is_none_outside_a_repository(tmp_path):
    assert changed_files(tmp_path) is None
