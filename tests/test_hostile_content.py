"""Hostile and malformed content: never a traceback, never a write outside the output folder,
always a clean build or a clear error naming the file."""

import os
import string

import pytest
from blogcore.problems import ContentProblems
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import ROOT, build_site, minimal_files, post, write_site

from tools.build import check

FIELDS = [
    *("Title", "Date", "Category", "Tags", "Authors", "Partner", "Series", "Series_index", "Summary", "Slug"),
    *("Save_as", "URL", "Image", "Image_alt", "Aliases", "Canonical", "Status", "Syndicate", "Id"),
]

# Header values: anything on one line, plus the nasty classics.
header_values = st.one_of(
    st.text(alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=60),
    st.sampled_from(
        [
            *("../../etc/passwd", "/etc/passwd", "..", "%2e%2e/x", "C:\\x", "{slug}/../../x", "javascript:alert(1)"),
            *("", " ", ",", ";;", "2014-02-30", "9999-12-31 23:59"),
        ]
    ),
)
bodies = st.text(max_size=400)
slow = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def snapshot(folder):
    """Every file under `folder` with its bytes."""
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def audit_then_build(tmp_path, files):
    """Audit, then build when the audit is clean; return the problems (strings)."""
    content = write_site(tmp_path, files)
    audit = check(ROOT / "pelicanconf.py", {"PATH": str(content)})
    for problem in audit.problems:
        text = str(problem)
        assert text.startswith("content/"), text
        assert "Traceback" not in text
    if not audit.errors:
        build_site(content, tmp_path / "output")
    return [str(p) for p in audit.errors]


@slow
@given(field=st.sampled_from(FIELDS), value=header_values, body=bodies)
def test_random_metadata_and_markdown_never_crash_nor_escape(tmp_path_factory, field, value, body):
    tmp_path = tmp_path_factory.mktemp("hostile")
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "keep.txt").write_text("untouched")
    files = minimal_files()
    files["posts/a-post.md"] = post(**{field: value, "body": body or "x"})
    try:
        audit_then_build(tmp_path, files)
    except ContentProblems as problems:  # only ever raised with a clear report
        assert problems.problems
    written_outside = [
        p for p in tmp_path.rglob("*") if p.is_file() and not p.is_relative_to(tmp_path / "output")
        and not p.is_relative_to(tmp_path / "content") and not p.is_relative_to(guard)
    ]  # fmt: skip
    assert written_outside == []
    assert snapshot(guard) == {guard / "keep.txt": b"untouched"}


@slow
@given(raw=st.binary(max_size=300))
def test_random_bytes_as_a_post_give_a_clean_build_or_a_clear_error(tmp_path_factory, raw):
    tmp_path = tmp_path_factory.mktemp("bytes")
    files = minimal_files()
    files["posts/junk.md"] = post("Junk").encode() + raw
    audit_then_build(tmp_path, files)


def test_nul_byte_is_a_clear_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(body="Before\x00after")
    assert audit_then_build(tmp_path, files) == [
        "content/posts/a-post.md:8: file: the file contains a NUL byte; remove it"
    ]


def test_a_10_mb_post_is_refused_quickly_with_a_clear_error(tmp_path):
    files = minimal_files()
    files["posts/huge.md"] = post("Huge", body="Words and more words.\n\n" * 450_000)
    assert audit_then_build(tmp_path, files) == [
        "content/posts/huge.md: file: is 10.4 MB; keep posts under 1 MB: split it, or move data out of the post"
    ]


def test_thousands_of_tags_are_refused(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Tags=", ".join(f"tag{n}" for n in range(3000)))
    assert audit_then_build(tmp_path, files) == [
        "content/posts/a-post.md:4: Tags: 3,000 tags; keep it to 20 or fewer",
        "content/posts/a-post.md:4: Tags: is 25,888 characters long; keep it under 1,000",
    ]


def test_a_huge_metadata_block_is_refused(tmp_path):
    files = minimal_files()
    extra = {f"Field{n}": "x" * 50 for n in range(2000)}
    files["posts/a-post.md"] = post(Summary="y" * 5000, **extra)
    problems = audit_then_build(tmp_path, files)
    assert problems == ["content/posts/a-post.md:6: Summary: is 5,000 characters long; keep it under 1,000"]


@pytest.mark.parametrize("field", ["Slug", "Save_as", "URL"])
@pytest.mark.parametrize("value", ["../../../outside", "/tmp/absolute", "..\\..\\windows"])
def test_path_escapes_in_slug_and_save_as_are_errors(tmp_path, field, value):
    files = minimal_files()
    files["posts/a-post.md"] = post(**{field: value})
    problems = audit_then_build(tmp_path, files)
    assert len(problems) == 1 and problems[0].startswith(f"content/posts/a-post.md:6: {field}: '{value}'")
    assert not (tmp_path / "outside").exists()


def test_symlink_out_of_content_is_an_error(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(post("Secret"))
    files = minimal_files()
    content = write_site(tmp_path, files)
    os.symlink(secret, content / "posts" / "linked.md")
    os.symlink(tmp_path, content / "images")
    audit = check(ROOT / "pelicanconf.py", {"PATH": str(content)})
    messages = [str(p) for p in audit.errors]
    linked = "content/posts/linked.md: file: is a link to a file outside content/; copy the file into content/ instead"
    assert linked in messages
    assert any(m.startswith("content/images/") and "outside content/" in m for m in messages)


def test_unicode_everywhere_builds(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post("Émigré résumés: 履歴書 ✓", Tags="Résumés, 履歴書", body="Ünïcödé ✓ " * 20)
    assert audit_then_build(tmp_path, files) == []
    assert list((tmp_path / "output").glob("2014/03/*/index.html"))


def test_control_characters_are_a_clear_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post("Bell\x07 and escape" + string.punctuation)
    assert audit_then_build(tmp_path, files) == [
        "content/posts/a-post.md:1: file: the file contains the control character U+0007; remove it"
    ]
