"""Every content rule of DESIGN.md, one small fixture site each, asserting the exact message."""

import pytest
from support import ROOT, build_site, minimal_files, post, run_build_cli, write_site

from tools.build import check


def problems_for(tmp_path, changes):
    """Audit the minimal site with `changes` applied; return every problem as its one-line text."""
    files = minimal_files()
    files.update(changes)
    content = write_site(tmp_path, {k: v for k, v in files.items() if v is not None})
    audit = check(ROOT / "pelicanconf.py", {"PATH": str(content)})
    return [str(problem) for problem in audit.problems]


def test_minimal_site_is_clean(tmp_path):
    assert problems_for(tmp_path, {}) == []


def test_the_real_content_is_clean():
    audit = check(ROOT / "pelicanconf.py")
    assert [str(p) for p in audit.problems] == []
    assert len(audit.posts) >= 5


@pytest.mark.parametrize("field", ["Title", "Date", "Category", "Authors"])
def test_required_field_missing(tmp_path, field):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(**{field: None})})
    assert f"content/posts/a-post.md: {field}: required field is missing; add '{field}: ...' to the header" in problems


def test_required_field_empty_points_at_its_line(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Category="")})
    assert "content/posts/a-post.md:3: Category: required field is empty; add 'Category: ...' to the header" in problems


def test_unknown_author_suggests_the_profile(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Authors="Ada Writter")})
    assert problems == [
        "content/posts/a-post.md:5: Authors: unknown author 'Ada Writter'; "
        "did you mean 'Ada Writer' (authors/ada-writer.md)?"
    ]


def test_author_by_name_or_id_both_resolve(tmp_path):
    assert problems_for(tmp_path, {"posts/a-post.md": post(Authors="Ada Writer")}) == []


def test_unknown_partner_suggests_the_profile(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Partner="acme-hirng")})
    assert problems == [
        "content/posts/a-post.md:6: Partner: unknown partner 'acme-hirng'; "
        "did you mean 'acme-hiring' (partners/acme-hiring.md)?"
    ]


def test_unknown_category_suggests_the_closest(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Category="Job Interview")})
    assert problems == [
        "content/posts/a-post.md:3: Category: unknown category 'Job Interview'; did you mean 'Job Interviews'?"
    ]


def test_unknown_series_suggests_the_profile(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Series="test-serie", Series_index="1")})
    assert problems == [
        "content/posts/a-post.md:6: Series: unknown series 'test-serie'; "
        "did you mean 'test-series' (series/test-series.md)?"
    ]


def test_empty_tag_is_an_error(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Tags="Recruiters, , Interviews")})
    assert problems == [
        "content/posts/a-post.md:4: Tags: empty tag; remove the doubled or trailing comma, or delete the Tags line"
    ]


def test_duplicate_tag_is_a_warning_and_dropped(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Tags="Recruiters, recruiters")})
    assert problems == [
        "content/posts/a-post.md:4: Tags: duplicate tag 'recruiters' (same as 'Recruiters'); list each tag once"
    ]
    output = tmp_path / "output"
    build_site(tmp_path / "content", output)
    assert [p.name for p in (output / "tag").iterdir()] == ["recruiters"]


@pytest.mark.parametrize("value", ["2014-02-30", "next Tuesday", "14/03/2014"])
def test_bad_date(tmp_path, value):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Date=value)})
    assert problems == [
        f"content/posts/a-post.md:2: Date: '{value}' is not a date; write it as YYYY-MM-DD HH:MM, e.g. 2014-03-05 09:00"
    ]


def test_modified_before_date(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Modified="2013-01-01")})
    assert problems == [
        "content/posts/a-post.md:6: Modified: is before Date; Modified is the last change; set it on or after Date"
    ]


def test_duplicate_slug_across_posts(tmp_path):
    problems = problems_for(tmp_path, {"posts/b-post.md": post("A post!")})
    assert problems == [
        "content/posts/b-post.md:1: Title: gives the slug 'a-post', already used by a-post.md; "
        "add 'Slug: <another-slug>'"
    ]


def test_duplicate_explicit_slug(tmp_path):
    problems = problems_for(tmp_path, {"posts/b-post.md": post("Other", Slug="a-post")})
    assert problems == [
        "content/posts/b-post.md:6: Slug: slug 'a-post' is already used by a-post.md; give this post its own Slug"
    ]


@pytest.mark.parametrize(
    ("slug", "fix"),
    [("Hello World", "e.g. 'hello-world'"), ("../../etc", "e.g. 'etc'"), ("caf\u00e9", "e.g. 'cafe'")],
)
def test_slug_must_be_url_safe(tmp_path, slug, fix):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Slug=slug)})
    assert problems == [
        f"content/posts/a-post.md:6: Slug: '{slug}' is not URL-safe; use lowercase letters, digits and hyphens, {fix}"
    ]


@pytest.mark.parametrize("field", ["Save_as", "URL"])
@pytest.mark.parametrize("value", ["../../outside.html", "/etc/passwd", "C:/temp/x.html"])
def test_save_as_and_url_may_not_leave_the_output_folder(tmp_path, field, value):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(**{field: value})})
    assert problems == [
        f"content/posts/a-post.md:6: {field}: '{value}' would write outside the output folder; "
        "use a relative path without '..', or delete the line"
    ]


def test_image_without_alt_text(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Image="images/x.svg"), "images/x.svg": "<svg/>"})
    assert problems == [
        "content/posts/a-post.md:6: Image: image without alt text; add 'Image_alt: <what the image shows>'"
    ]


def test_image_file_must_exist(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Image="images/nope.svg", Image_alt="A thing")})
    assert problems == [
        "content/posts/a-post.md:6: Image: file 'images/nope.svg' not found in content/; "
        "check the path, e.g. images/<file>.svg"
    ]


def test_credit_without_image(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Image_credit="Somebody")})
    assert problems == [
        "content/posts/a-post.md:6: Image_credit: credit without an image; "
        "add 'Image: images/<file>' or delete the credit"
    ]


def test_profile_without_bio(tmp_path):
    problems = problems_for(tmp_path, {"authors/ada-writer.md": "Name: Ada Writer\nRole: Writer\n\n"})
    assert problems == ["content/authors/ada-writer.md:4: body: bio is empty; write the bio below the header"]


def test_profile_naming_an_unknown_partner(tmp_path):
    problems = problems_for(tmp_path, {"authors/ada-writer.md": "Name: Ada Writer\nAffiliation: acme\n\nBio.\n"})
    assert problems == [
        "content/authors/ada-writer.md:2: Affiliation: unknown partner 'acme'; "
        "did you mean 'acme-hiring' (partners/acme-hiring.md)?"
    ]


def test_unknown_field_is_a_warning_with_a_suggestion(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Tagz="Recruiters")})
    assert problems == ["content/posts/a-post.md:6: Tagz: unknown field; did you mean Tags?"]


def test_field_given_twice(tmp_path):
    text = post().replace("Tags:", "Tags: One\nTags:")
    problems = problems_for(tmp_path, {"posts/a-post.md": text})
    assert problems == [
        "content/posts/a-post.md:5: Tags: given twice (first on line 4); keep one line and delete the other"
    ]


def test_status_must_be_draft_or_published(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Status="publised")})
    assert problems == ["content/posts/a-post.md:6: Status: 'publised' is not allowed; did you mean 'published'?"]


def test_invalid_utf8_names_the_line(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post().encode() + b"\n\xff\xfe broken\n"})
    assert problems == ["content/posts/a-post.md:12: file: byte 197 is not UTF-8; save the file as UTF-8"]


def test_non_markdown_post_is_not_silently_dropped(tmp_path):
    problems = problems_for(tmp_path, {"posts/other.rst": "Title\n=====\n"})
    assert problems == ["content/posts/other.rst: file: '.rst' files are not posts; write posts as Markdown (.md)"]


def test_every_problem_of_the_site_in_one_run(tmp_path):
    problems = problems_for(
        tmp_path,
        {
            "posts/a-post.md": post(Authors="nobody", Category="Nope"),
            "posts/b-post.md": post("B", Date="soon"),
        },
    )
    assert len(problems) == 3
    assert [p.split(":")[0] for p in problems] == [
        "content/posts/a-post.md",
        "content/posts/a-post.md",
        "content/posts/b-post.md",
    ]


def test_cli_check_exits_non_zero_and_prints_every_error(tmp_path):
    files = minimal_files()
    files["posts/a-post.md"] = post(Authors="nobody", Date="soon")
    content = write_site(tmp_path, files)
    settings = tmp_path / "settings.py"
    settings.write_text(f"from pelicanconf import *\nPATH = {str(content)!r}\n")
    result = run_build_cli("--check", "--settings", str(settings))
    assert result.returncode == 1
    assert "Authors: unknown author 'nobody'" in result.stdout
    assert "Date: 'soon' is not a date" in result.stdout
    assert "2 errors" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_failed_build_exits_non_zero_and_leaves_the_last_good_output_byte_identical(tmp_path):
    files = minimal_files()
    content = write_site(tmp_path, files)
    output = tmp_path / "output"
    settings = tmp_path / "settings.py"
    settings.write_text(f"from pelicanconf import *\nPATH = {str(content)!r}\n")
    assert run_build_cli("--settings", str(settings), "--output", str(output)).returncode == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}

    (content / "posts/a-post.md").write_text(post(Authors="nobody"), encoding="utf-8")
    result = run_build_cli("--settings", str(settings), "--output", str(output))

    assert result.returncode == 1
    assert "content/posts/a-post.md:5: Authors: unknown author 'nobody'" in result.stderr
    assert "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".output-*"))


@pytest.mark.parametrize(
    ("html", "message"),
    [
        (
            "<script>alert(1)</script>",
            "<script> is not allowed in guest posts; remove it: scripts never run on the site",
        ),
        (
            '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>',
            "<iframe> is not allowed in guest posts; remove it, or link to the page",
        ),
        ('<object data="x.swf"></object>', "<object> is not allowed in guest posts; remove it, or link to the page"),
        ('<embed src="x.swf">', "<embed> is not allowed in guest posts; remove it, or link to the page"),
        ('<form action="/x"></form>', "<form> is not allowed in guest posts; remove it, or link to the page"),
        (
            '<img src="https://i.example/x.png" alt="" onerror="steal()">',
            "onerror= handlers are not allowed in guest posts",
        ),
        ("[click](javascript:alert(1))", "javascript: URL in href of <a>; link to a normal https:// address"),
        (
            '<a href="&#74;avascript:alert(1)">x</a>',
            "javascript: URL in href of <a>; link to a normal https:// address",
        ),
        ('<a href="java&#x09;script:alert(1)">x</a>', "javascript: URL in href of <a>"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<meta> is not allowed in guest posts"),
        ('<base href="https://evil.example/">', "<base> is not allowed in guest posts"),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', "<link> is not allowed in guest posts"),
        ("<style>body { display: none }</style>", "<style> is not allowed in guest posts"),
        ('<a href="vbscript:msgbox(1)">x</a>', "vbscript: URL in href of <a>"),
        ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "data: URL in href of <a>"),
    ],
)
def test_guest_posts_may_not_embed_active_content(tmp_path, html, message):
    body = f"A first paragraph.\n\n{html}\n"
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Partner="acme-hiring", body=body)})
    assert len(problems) == 1
    assert problems[0].startswith(f"content/posts/a-post.md:11: body: {message}")


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        # A tag split over two lines: Markdown keeps it as one element.
        (
            'Intro.\n\n<img src="https://i.example/x.png"\nonerror="steal()">\n',
            12,
            "onerror= handlers are not allowed in guest posts",
        ),
        # A list item's continuation indented four spaces is still the list's HTML.
        ("Intro.\n\n- item\n\n    <script>alert(1)</script>\n", 13, "<script> is not allowed in guest posts"),
        # Backticks inside an HTML block are not a code span there.
        ("Intro.\n\n<div>`<script>alert(1)</script>`</div>\n", 11, "<script> is not allowed in guest posts"),
    ],
)
def test_the_check_sees_what_the_browser_would(tmp_path, body, line, message):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Partner="acme-hiring", body=body)})
    assert len(problems) == 1
    assert problems[0].startswith(f"content/posts/a-post.md:{line}: body: {message}")


def test_staff_iframes_only_from_allowed_hosts(tmp_path):
    allowed = '<iframe src="https://www.youtube-nocookie.com/embed/x" title="Video"></iframe>'
    other = '<iframe src="https://evil.example/x" title="Bad"></iframe>'
    body = f"Intro.\n\n{allowed}\n\n{other}\n"
    problems = problems_for(tmp_path, {"posts/a-post.md": post(body=body)})
    assert problems == [
        "content/posts/a-post.md:10: body: iframe from 'evil.example' is not on the allow-list; "
        "embed only from EDITORIAL_IFRAME_HOSTS over https, or link to the page"
    ]


def test_staff_posts_may_not_run_script_either(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(body="Intro.\n\n<script>alert(1)</script>\n")})
    assert problems == [
        "content/posts/a-post.md:10: body: <script> is not allowed in posts; remove it: scripts never run on the site"
    ]


def test_a_guest_summary_is_sanitised_and_checked(tmp_path):
    problems = problems_for(
        tmp_path, {"posts/a-post.md": post(Partner="acme-hiring", Summary="Hi <b onclick=x>there</b>")}
    )
    assert problems == [
        "content/posts/a-post.md:7: Summary: onclick= handlers are not allowed in summaries; remove the attribute"
    ]


def test_a_profile_body_gets_the_guest_list(tmp_path):
    bio = 'Name: Ada Writer\n\nAda <iframe src="https://www.youtube-nocookie.com/embed/x"></iframe> writes.\n'
    problems = problems_for(tmp_path, {"authors/ada-writer.md": bio})
    assert problems == [
        "content/authors/ada-writer.md:3: body: <iframe> is not allowed in profiles; remove it, or link to the page"
    ]


def test_html_shown_as_code_is_not_active_content(tmp_path):
    body = 'Never paste `<script>` into a post.\n\n```\n<iframe src="https://evil.example"></iframe>\n```\n'
    assert problems_for(tmp_path, {"posts/a-post.md": post(Partner="acme-hiring", body=body)}) == []


def test_problems_with_and_without_a_line_are_reported_together(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Title=None, Category="Nope")})
    assert problems == [
        "content/posts/a-post.md: Title: required field is missing; add 'Title: ...' to the header",
        "content/posts/a-post.md:2: Category: unknown category 'Nope'; use one of: Job Interviews, Job Offers, "
        "Career Moves, Internships, Networking, Resumes",
    ]


def test_slug_suggestion_uses_hyphens_not_underscores(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Slug="ten_questions")})
    assert problems == [
        "content/posts/a-post.md:6: Slug: 'ten_questions' is not URL-safe; "
        "use lowercase letters, digits and hyphens, e.g. 'ten-questions'"
    ]


def test_dates_with_and_without_an_offset_compare_without_crashing(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Date="2014-03-05T09:00+02:00", Modified="2014-03-01")})
    assert problems == [
        "content/posts/a-post.md:6: Modified: is before Date; Modified is the last change; set it on or after Date"
    ]


@pytest.mark.parametrize(
    ("setting", "value"),
    [("EDITORIAL_RELATED_POSTS", "'x'"), ("SYNDICATION_ITEM_LIMIT", "'many'"), ("FASTBUILD_WORKERS", "0")],
)
def test_a_bad_plugin_setting_is_a_clear_error_not_a_traceback(tmp_path, setting, value):
    content = write_site(tmp_path, minimal_files())
    settings = tmp_path / "settings.py"
    settings.write_text(f"from pelicanconf import *\nPATH = {str(content)!r}\n{setting} = {value}\n")
    result = run_build_cli("--settings", str(settings), "--output", str(tmp_path / "output"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"Setting '{setting}'" in result.stderr
    assert not (tmp_path / "output").exists()
