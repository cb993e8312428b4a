"""Links and images in bodies lead somewhere: every broken one is a `file:line: body:`
error with the nearest spelling that exists, from `make check` and from the build, and
the last good output stays as it was."""

import pytest
from blogcore.problems import ContentProblems
from support import ROOT, build_site, files_under, minimal_files, post, write_site

from tools.build import check

PIC = '<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>\n'
LINKER = "content/posts/linker.md"

# Each broken link on its own body line, with the line make check prints for it.
BROKEN = [
    (
        "[x]({filename}b-psot.md)",
        "links to {filename}b-psot.md, but there is no post or page content/posts/b-psot.md; "
        "did you mean {filename}b-post.md?",
    ),
    (
        "[x]({filename}/posts/B-Post.md)",
        "links to {filename}/posts/B-Post.md, but there is no post or page content/posts/B-Post.md; "
        "did you mean {filename}/posts/b-post.md?",
    ),
    (
        "[x]({filename}../images/pic.svg)",
        "links to {filename}../images/pic.svg, which is a file, not a post or page; "
        "write {static}../images/pic.svg: {filename} is for posts and pages",
    ),
    (
        "![x]({static}/images/Pic.svg)",
        "links to {static}/images/Pic.svg, but there is no file content/images/Pic.svg; "
        "did you mean {static}/images/pic.svg?",
    ),
    (
        "![x]({static}/images/zzzz.jpeg)",
        "links to {static}/images/zzzz.jpeg, but there is no file content/images/zzzz.jpeg; "
        "put the file under content/images/ and name it from content/ with a leading '/'",
    ),
    (
        "[x]({static}b-post.md)",
        "links to {static}b-post.md, which is a post or page, not a file; "
        "write {filename}b-post.md: {static} is for images and other files",
    ),
    (
        "[x]({filename}c-draft.md)",
        "links to {filename}c-draft.md, which is a draft: readers cannot open it; "
        "publish that post first, or add the link once it is published",
    ),
    (
        "[x]({tag}recruiter)",
        "links to {tag}recruiter, but no post has the tag 'recruiter'; did you mean {tag}Recruiters?",
    ),
    (
        "[x]({foo}bar)",
        "links to {foo}bar, but {foo} is no kind of site link; "
        "use {filename}, {static}, {attach}, {tag}, {category}, {author} or {index}",
    ),
    (
        "[x](http://127.0.0.1:8000/2014/03/a-post/)",
        "links to http://127.0.0.1:8000/2014/03/a-post/, the development server, which readers cannot reach; "
        "write {filename}a-post.md",
    ),
    (
        "[x](http://localhost:8000/tag/recruiters/)",
        "links to http://localhost:8000/tag/recruiters/, the development server, which readers cannot reach; "
        "write the site path /tag/recruiters/",
    ),
    (
        "[x](/2014/03/a-psot/)",
        "links to /2014/03/a-psot/, but the site publishes nothing at /2014/03/a-psot/; did you mean /2014/03/a-post/?",
    ),
    (
        "[x](/Tag/Recruiters/)",
        "links to /Tag/Recruiters/, but the site publishes nothing at /Tag/Recruiters/; did you mean /tag/recruiters/?",
    ),
    (
        "[x](/old-b/)",
        "links to /old-b/, an old address that redirects to /2014/03/b-post/; write {filename}b-post.md",
    ),
    (
        "[x](/2013/01/gone/)",
        "links to /2013/01/gone/, a page the site retired; remove the link, or link to another page",
    ),
    (
        "![x](/images/chart.png)",
        "links to /images/chart.png, but the site publishes nothing at /images/chart.png; "
        "put the file under content/images/ and write {static}/images/ and its name",
    ),
    (
        "![x](pic.svg)",
        "links to pic.svg, but the site publishes nothing at /2014/03/linker/pic.svg; did you mean /images/pic.svg?",
    ),
]

# Links that lead somewhere: none is reported.
FINE = [
    "[x]({filename}a-post.md)",
    "[x]({filename}/posts/a-post.md#part-2)",
    "[x]({filename}../pages/about.md)",
    "![x]({static}/images/pic.svg)",
    "![x]({static}../images/pic.svg)",
    "[x]({tag}Recruiters) [x]({tag}recruiters) [x]({category}job-interviews) [x]({author}ada-writer) [x]({index})",
    "[x](/) [x](/tag/recruiters/) [x](/2014/03/a-post/#x) [x](/archives/) [x](/tag/recruiters)",
    "[x](../a-post/) [x](#top) [x](?page=2)",
    "[x](https://example.org/nowhere/) [x](mailto:ada@example.org) [x](tel:+15550100) [x](//cdn.example/x.js)",
    '<img src="/images/pic.svg" srcset="/images/pic.svg 1x, /images/pic.svg 2x" alt="x">',
]


def site_files(body, **linker_fields):
    files = minimal_files()
    files.update(
        {
            "images/pic.svg": PIC,
            "pages/about.md": "Title: About\n\nAbout the site.\n",
            "posts/b-post.md": post("B Post", Date="2014-03-06 09:00", Aliases="/old-b/"),
            "posts/c-draft.md": post("C Draft", Status="draft"),
            "published-urls.txt": "/2013/01/gone/ retired\n",
            "posts/linker.md": post("Linker", Date="2014-03-07 09:00", body=body, **linker_fields),
        }
    )
    return files


def body_problems(tmp_path, body, **linker_fields):
    content = write_site(tmp_path, site_files(body, **linker_fields))
    audit = check(ROOT / "pelicanconf.py", {"PATH": str(content)})
    return [str(problem) for problem in audit.problems if problem.field == "body"]


def test_every_broken_link_is_reported_on_its_line_with_a_fix(tmp_path):
    body = "A first paragraph.\n\n" + "\n\n".join(link for link, _ in BROKEN)
    first_line = 10  # after six header lines (Title, Date, Category, Tags, Authors, Id), a blank line, the intro
    assert body_problems(tmp_path, body) == [
        f"{LINKER}:{first_line + 2 * index}: body: {message}" for index, (_, message) in enumerate(BROKEN)
    ]


def test_links_that_lead_somewhere_are_not_reported(tmp_path):
    assert body_problems(tmp_path, "\n\n".join(FINE)) == []


def test_a_draft_may_link_to_a_draft(tmp_path):
    assert body_problems(tmp_path, "[x]({filename}c-draft.md)", Status="draft") == []


def test_a_link_written_twice_is_reported_once(tmp_path):
    body = "[x](/2014/03/a-psot/) and [again](/2014/03/a-psot/)"
    assert body_problems(tmp_path, body) == [
        f"{LINKER}:8: body: links to /2014/03/a-psot/, but the site publishes nothing at /2014/03/a-psot/; "
        "did you mean /2014/03/a-post/?"
    ]


def test_pages_and_raw_html_links_are_checked_too(tmp_path):
    files = site_files("Fine.")
    files["pages/about.md"] = 'Title: About\n\nAbout the site.\n\n<a href="../2014/03/a-psot/">x</a>\n'
    content = write_site(tmp_path, files)
    audit = check(ROOT / "pelicanconf.py", {"PATH": str(content)})
    assert [str(problem) for problem in audit.problems] == [
        "content/pages/about.md:5: body: links to ../2014/03/a-psot/, but the site publishes nothing at "
        "/2014/03/a-psot/; did you mean /2014/03/a-post/?"
    ]


def test_a_broken_link_stops_the_build_and_keeps_the_last_output(tmp_path):
    content = write_site(tmp_path, site_files("[x]({filename}a-post.md)"))
    output = tmp_path / "output"
    build_site(content, output)
    before = files_under(output)
    (content / "posts" / "linker.md").write_text(post("Linker", body="[x]({filename}a-psot.md)"), encoding="utf-8")
    with pytest.raises(ContentProblems) as raised:
        build_site(content, output)
    assert [str(problem) for problem in raised.value.problems] == [
        f"{LINKER}:8: body: links to {{filename}}a-psot.md, but there is no post or page content/posts/a-psot.md; "
        "did you mean {filename}a-post.md?"
    ]
    assert files_under(output) == before


def test_a_fixed_link_is_filled_in_on_the_page(tmp_path):
    content = write_site(tmp_path, site_files("[the post]({filename}a-post.md)"))
    output = tmp_path / "output"
    build_site(content, output)
    page = (output / "2014" / "03" / "linker" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://blog.example.test/2014/03/a-post/"' in page
    assert "{filename}" not in page


def test_the_guide_shows_every_line_of_this_file():
    guide = (ROOT / "docs" / "editing.md").read_text(encoding="utf-8").splitlines()
    shown = {line.split(": body: ", 1)[1] for line in guide if line.startswith("error: ") and ": body: " in line}
    assert [message for _, message in BROKEN if message not in shown] == []


def test_with_a_warm_audit_cache_the_build_names_the_same_line(tmp_path):
    # The cache keeps a post's header without its body: the line is read from the file again.
    content = write_site(tmp_path, site_files("Intro.\n\nMore.\n\n[x]({filename}a-psot.md)"))
    caches = {"EDITORIAL_CACHE": True, "EDITORIAL_CACHE_PATH": str(tmp_path / "cache")}
    settings = {"PATH": str(content), **caches}
    first = [str(problem) for problem in check(ROOT / "pelicanconf.py", settings).problems]
    second = [str(problem) for problem in check(ROOT / "pelicanconf.py", settings).problems]
    assert (tmp_path / "cache" / "audit.pickle").is_file()
    assert first == second
    assert first[0].startswith(f"{LINKER}:12: body: links to {{filename}}a-psot.md")


def test_a_body_full_of_broken_links_shows_the_first_twenty(tmp_path):
    body = "\n\n".join(f"[x](/nowhere-{number}/)" for number in range(25))
    problems = body_problems(tmp_path, body)
    assert len(problems) == 21
    # Sorted by line: the line without one first.
    assert problems[0] == f"{LINKER}: body: has more broken links than the 20 shown; fix these and check again"
    assert problems[1] == (
        f"{LINKER}:8: body: links to /nowhere-0/, but the site publishes nothing at /nowhere-0/; "
        "link to a post as {filename}its-file.md, which follows it when its URL changes"
    )
    assert problems[-1].startswith(f"{LINKER}:46: body: links to /nowhere-19/,")


def test_a_picture_in_the_wrong_case_is_one_problem_not_a_clash_with_the_real_file(tmp_path):
    content = write_site(tmp_path, site_files("![x]({static}/images/PIC.svg)"))
    audit = check(ROOT / "pelicanconf.py", {"PATH": str(content)})
    assert [str(problem) for problem in audit.problems] == [
        f"{LINKER}:8: body: links to {{static}}/images/PIC.svg, but there is no file content/images/PIC.svg; "
        "did you mean {static}/images/pic.svg?"
    ]
    assert audit.build_warnings == []  # nor Pelican's "Cannot get modification stamp"


@pytest.mark.parametrize(
    "link", ["http://127.1/2014/03/a-post/", "http://[::ffff:127.0.0.1]/2014/03/a-post/", "http://LOCALHOST./"]
)
def test_every_spelling_of_the_development_origin_is_caught(tmp_path, link):
    (problem,) = body_problems(tmp_path, f"[x]({link})")
    assert f"links to {link}, the development server, which readers cannot reach" in problem


def test_template_code_from_another_blog_is_named(tmp_path):
    (problem,) = body_problems(tmp_path, '<a href="{{ site.baseurl }}/2014/03/a-post/">x</a>')
    assert problem == (
        f"{LINKER}:8: body: links to {{{{ site.baseurl }}}}/2014/03/a-post/, which is Jekyll or Hugo template code: "
        "this site does not run it; link to a post as {filename}its-file.md, and to a picture as "
        "{static}/images/its-file"
    )


def test_a_guests_control_characters_reach_the_terminal_escaped(tmp_path):
    body = '<a href="/x&#27;[2J&#27;]0;pwned&#7;">x</a>'
    problems = body_problems(tmp_path, body, Partner="acme-hiring")
    assert problems == [
        f"{LINKER}: body: links to /x\\x1b[2J\\x1b]0;pwned\\x07, but the site publishes nothing at "
        "/x\\x1b[2J\\x1b]0;pwned\\x07; link to a post as {filename}its-file.md, which follows it when its URL changes"
    ]


def test_a_category_named_with_spaces_is_told_its_address_name(tmp_path):
    assert body_problems(tmp_path, "[x]({category}Job Interviews)") == [
        f"{LINKER}:8: body: the link '{{category}}Job Interviews' holds characters a site link may not (quotes, "
        "spaces, '<', '>', a scheme); write {category}job-interviews, as in its address"
    ]
