"""The sanitiser every body goes through after Markdown (plugins/blogcore/), and the budget
of one conversion: tested on converted HTML as browsers parse it, and through real builds."""

import copy
import re

import html5lib
import markdown
import pytest
from blogcore.markdown_guard import findings_of
from blogcore.problems import ContentProblems
from blogcore.sanitise import Sanitiser, guest_policy, staff_policy
from pelican.settings import read_settings
from support import ROOT, build_site, minimal_files, post, run_build_cli, write_site

GUARD = "blogcore.markdown_guard"
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "cite", "srcset", "data", "background")


def site_markdown(**guard_config):
    """A Markdown converter configured as the site's (pelicanconf.py), guard settings overridden."""
    config = copy.deepcopy(read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"])
    config["extension_configs"][GUARD].update(guard_config)
    return markdown.Markdown(extensions=list(config["extension_configs"]), **config)


def markdown_overrides(**guard_config):
    """Build overrides giving the guard extension `guard_config`."""
    config = copy.deepcopy(read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"])
    config["extension_configs"][GUARD].update(guard_config)
    return {"MARKDOWN": config}


def active_content(html):
    """What in `html`, parsed as a browser parses it, could run or navigate: a list of
    descriptions (empty when there is none)."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    found = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("script", "iframe", "object", "embed", "base", "meta", "link", "style", "form"):
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{name}= on <{element.tag}>")
            compact = re.sub(r"[\x00-\x20]+", "", value).lower()
            if name.lower() in URL_ATTRIBUTES and any(scheme in compact for scheme in SCRIPT_SCHEMES):
                found.append(f"{name}={value!r} on <{element.tag}>")
    return found


GUEST_PAYLOADS = [
    "<script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<img src="x.png"\nonerror="alert(1)">',
    "- item\n\n    <script>alert(1)</script>",
    "```\nunclosed fence\n\n<script>alert(1)</script>",
    "<div>`<b onclick=alert(1)>x</b>`</div>",
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
    '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!--<script>alert(1)//--><script>alert(2)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<form action="https://evil.example/"><button formaction="javascript:alert(1)">x</button></form>',
    '<img src="x" srcset="javascript:alert(1) 1x">',
    '<p style="position:fixed;top:0">cover</p>',
    '<a href="/x" onmouseover="alert(1)" autofocus onfocus="alert(2)">x</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]


@pytest.mark.parametrize("payload", GUEST_PAYLOADS)
def test_no_guest_payload_survives_conversion(payload):
    converter = site_markdown()
    html = converter.convert(f"Title: T\nPartner: acme\n\nBefore.\n\n{payload}\n\nAfter.\n")
    assert active_content(html) == []
    assert "Before." in html


@pytest.mark.parametrize("payload", GUEST_PAYLOADS)
def test_no_payload_survives_in_a_staff_post_either(payload):
    converter = site_markdown(iframe_hosts=["player.example"])
    html = converter.convert(f"Title: T\n\nBefore.\n\n{payload}\n\nAfter.\n")
    assert [found for found in active_content(html) if found != "<iframe>"] == []


def test_staff_keep_iframes_from_allowed_hosts_only():
    converter = site_markdown(iframe_hosts=["player.example"])
    html = converter.convert(
        'Title: T\n\n<iframe src="https://player.example/embed/1" title="Video"></iframe>\n\n'
        '<iframe src="https://evil.example/embed/1" title="Bad"></iframe>\n'
    )
    sources = [frame.get("src") for frame in html5lib.parse(html, namespaceHTMLElements=False).iter("iframe")]
    assert sources == ["https://player.example/embed/1", None]
    assert [finding.message for finding in findings_of(converter.Meta)] == [
        "iframe from 'evil.example' is not on the allow-list"
    ]


def test_guest_posts_get_no_iframe_even_from_an_allowed_host():
    converter = site_markdown(iframe_hosts=["player.example"])
    html = converter.convert('Title: T\nPartner: acme\n\n<iframe src="https://player.example/embed/1"></iframe>\n')
    assert "iframe" not in html
    assert [finding.message for finding in findings_of(converter.Meta)] == ["<iframe> is not allowed in guest posts"]


def test_a_header_cannot_fake_a_clean_report():
    converter = site_markdown()
    converter.convert("Title: T\nPartner: acme\nX-sanitiser-report: []\n\n<script>alert(1)</script>\n")
    assert [finding.message for finding in findings_of(converter.Meta)] == ["<script> is not allowed in guest posts"]


def test_markdown_that_is_allowed_comes_out_unchanged():
    converter = site_markdown()
    source = (
        "Title: T\nPartner: acme\n\n## A heading\n\nSome *emphasis*, `code <b>`, a [link](https://example.org/)"
        " and a footnote.[^1]\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n![A picture](/images/x.png)\n\n"
        "[^1]: The note.\n"
    )
    html = converter.convert(source)
    assert findings_of(converter.Meta) == ()
    document = html5lib.parse(html, namespaceHTMLElements=False)
    assert document.find(".//h2").get("id") == "a-heading"
    assert document.find(".//a[@href='https://example.org/']") is not None
    assert document.find(".//img").get("src") == "/images/x.png"
    assert document.find(".//td").get("style") == "text-align:left"
    assert document.find(".//sup/a").get("href") == "#fn:1"
    assert "code &lt;b&gt;" in html


def test_pelican_link_placeholders_survive_for_pelican_to_resolve():
    html = site_markdown().convert("Title: T\n\n[Other]({filename}other.md) ![x]({static}/images/x.png)\n")
    assert 'href="{filename}other.md"' in html
    assert 'src="{static}/images/x.png"' in html


def test_a_sanitiser_is_reusable_and_reports_each_kind_once():
    sanitiser = Sanitiser(guest_policy())
    cleaned, findings = sanitiser.clean("<p onclick=a>x</p><p onclick=b>y</p>")
    assert cleaned == "<p>x</p><p>y</p>"
    assert [finding.message for finding in findings] == ["onclick= handlers are not allowed in guest posts"]
    assert Sanitiser(staff_policy([])).clean("<p>ok</p>") == ("<p>ok</p>", ())


def test_a_runaway_conversion_is_an_error_naming_the_file(tmp_path):
    # 30,000 '[' take Python-Markdown minutes (its inline patterns backtrack); the budget
    # is one second here, the fixture's other posts convert in milliseconds.
    files = minimal_files() | {"posts/storm.md": post("Storm", body="[" * 30_000)}
    content = write_site(tmp_path, files)
    with pytest.raises(ContentProblems) as raised:
        build_site(content, tmp_path / "output", **markdown_overrides(seconds=1))
    assert raised.value.problems[0].path == "content/posts/storm.md"
    assert str(raised.value.problems[0]) == (
        "content/posts/storm.md: body: Markdown needed more than 1 s to convert it; look for thousands of "
        "'[', '*' or '<' in a row and remove them, or split the post"
    )
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize(
    "body",
    [
        "".join("    " * depth + "- x\n" for depth in range(300)),
        "*" * 5000 + "x" + "*" * 5000,
        '<div markdown="1">\n' * 500 + "x" + "\n</div>" * 500,
    ],
    ids=["nested lists", "emphasis", "markdown in html"],
)
def test_a_body_nesting_too_deep_is_an_error_not_a_traceback(tmp_path, body):
    content = write_site(tmp_path, minimal_files() | {"posts/deep.md": post("Deep", body=body)})
    with pytest.raises(ContentProblems) as raised:
        build_site(content, tmp_path / "output")
    assert [str(problem) for problem in raised.value.problems] == [
        "content/posts/deep.md: body: nests too deeply to convert; reduce the quotes or lists nested inside each other"
    ]


def test_stray_declarations_and_cdata_build_cleanly(tmp_path):
    body = "Before <![x]> and <![CDATA[ data ]]> and <!-- an unclosed comment\n\nAfter."
    content = write_site(tmp_path, minimal_files() | {"posts/odd.md": post("Odd", body=body)})
    build_site(content, tmp_path / "output")
    page = (tmp_path / "output/2014/03/odd/index.html").read_text(encoding="utf-8")
    assert active_content(page.split('<div class="post-body">')[1].split("</div>")[0]) == []
    assert "Before" in page


def test_a_site_without_the_sanitiser_does_not_build(tmp_path):
    content = write_site(tmp_path, minimal_files())
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"from pelicanconf import *\nPATH = {str(content)!r}\n"
        f"MARKDOWN = {{**MARKDOWN, 'extension_configs': {{'markdown.extensions.extra': {{}}}}}}\n"
    )
    result = run_build_cli("--settings", str(settings), "--output", str(tmp_path / "output"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"Setting 'MARKDOWN': extension_configs must hold '{GUARD}'" in result.stderr
    assert not (tmp_path / "output").exists()


def test_html_is_marked_safe_in_one_place_of_the_theme():
    templates = sorted((ROOT / "theme" / "templates").rglob("*.html"))
    marked = [
        (path.relative_to(ROOT).as_posix(), line.strip())
        for path in templates
        for line in path.read_text(encoding="utf-8").splitlines()
        if re.search(r"\|\s*safe\b|autoescape\s+false|Markup\(", line)
    ]
    assert marked == [("theme/templates/partials/macros.html", "{{ html | safe }}")]
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    assert settings["JINJA_ENVIRONMENT"]["autoescape"] is True


def test_the_content_cache_knows_the_code_of_the_sites_own_extensions(tmp_path, monkeypatch):
    from fastbuild.cache import fingerprint

    extension = tmp_path / "our_test_extension.py"
    extension.write_text("def makeExtension(**kwargs):\n    raise NotImplementedError\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    config = {"extension_configs": {"markdown.extensions.extra": {}, "our_test_extension": {}}}
    before = fingerprint(config, ["summary"])
    assert fingerprint(config, ["summary"]) == before
    extension.write_text(extension.read_text(encoding="utf-8") + "# a changed rule\n", encoding="utf-8")
    assert fingerprint(config, ["summary"]) != before
