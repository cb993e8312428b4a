"""Static files: only declared types are published, and no SVG holds code or outside references.

Each test writes a small site with one file under content/images/ (or extra/), runs the real
audit with the project's settings and asserts the exact line an editor reads.
"""

import pytest
from blogcore.problems import ContentProblems
from editorial.audit import audit_site
from editorial.settings import SettingsError
from editorial.staticfiles import check_static_files
from support import ROOT, build_site, minimal_files, write_site

from tools.build import load_settings

FIX = "remove it, or export the image again as plain SVG"
TYPES_FIX = "remove it, or save it as .avif, .gif, .ico, .jpeg, .jpg, .pdf, .png, .svg, .webp"


def problems_for(tmp_path, files, **overrides):
    """Every problem the audit finds in the minimal site plus `files`, as one-line texts."""
    content = write_site(tmp_path, {**minimal_files(), **files})
    audit = audit_site(load_settings(ROOT / "pelicanconf.py", {"PATH": str(content), **overrides}))
    return [str(problem) for problem in audit.problems]


def svg(inner, attributes=""):
    """An SVG document whose second line is `inner`."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="0 0 10 10"{attributes}>\n{inner}\n</svg>\n'
    )


def test_the_projects_own_images_pass():
    folders = [ROOT / "content" / "images", ROOT / "content" / "extra"]
    paths = sorted(path for folder in folders for path in folder.iterdir())
    assert any(path.suffix == ".svg" for path in paths)
    assert list(check_static_files(paths, [".svg", ".png", ".jpg"])) == []


@pytest.mark.parametrize("suffix", [".js", ".html", ".htm", ".xml", ".css", ".txt", ".svgz", ".mjs"])
def test_an_undeclared_type_under_images_is_an_error(tmp_path, suffix):
    problems = problems_for(tmp_path, {f"images/logo{suffix}": "alert(1)\n"})
    assert problems == [f"content/images/logo{suffix}: file: '{suffix}' files are not published; {TYPES_FIX}"]


def test_an_undeclared_type_under_extra_is_an_error(tmp_path):
    problems = problems_for(tmp_path, {"extra/verify.html": "<script>alert(1)</script>\n"})
    assert problems == [f"content/extra/verify.html: file: '.html' files are not published; {TYPES_FIX}"]


def test_a_file_without_an_extension_is_an_error(tmp_path):
    problems = problems_for(tmp_path, {"images/payload": "<script>alert(1)</script>\n"})
    assert problems == [f"content/images/payload: file: a file without an extension is not published; {TYPES_FIX}"]


def test_declared_types_pass_in_any_case(tmp_path):
    files = {"images/photo.JPG": b"\xff\xd8\xff", "images/card.png": b"\x89PNG", "extra/guide.pdf": b"%PDF-1.4"}
    assert problems_for(tmp_path, files) == []


def test_a_site_may_declare_more_types(tmp_path):
    files = {"extra/robots.txt": "User-agent: *\n", "images/logo.js": "x\n"}
    problems = problems_for(tmp_path, files, EDITORIAL_STATIC_TYPES=[".txt"])
    assert problems == ["content/images/logo.js: file: '.js' files are not published; remove it, or save it as .txt"]


def test_a_plain_svg_with_same_document_references_passes(tmp_path):
    drawing = svg(
        '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient>'
        '<rect id="r" width="4" height="4"/></defs>'
        '<style>.a { fill: url(#g); } .b { fill: url( "#g" ) }</style>'
        '<use href="#r"/><use xlink:href="#r" x="5"/>'
        '<rect class="a" width="10" height="10" fill="url(#g)" style="stroke: url(\'#g\')"/>'
        '<a href="#r"><text>Skip</text></a>',
        ' role="img" aria-label="see url(images) and image(s)"',
    )
    assert problems_for(tmp_path, {"images/plain.svg": drawing}) == []


@pytest.mark.parametrize(
    ("inner", "message"),
    [
        ("<script>alert(1)</script>", "SVG holds <script>"),
        ('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>', "SVG holds <script>"),
        ("<foreignObject><p>hi</p></foreignObject>", "SVG holds <foreignObject>"),
        ('<h:div xmlns:h="http://www.w3.org/1999/xhtml">hi</h:div>', "SVG holds the HTML element <div>"),
        ('<rect width="1" height="1" onclick="alert(1)"/>', "SVG holds an event handler (onclick on <rect>)"),
        ('<rect width="1" height="1" ONMOUSEOVER="alert(1)"/>', "SVG holds an event handler (ONMOUSEOVER on <rect>)"),
        (
            '<image href="https://evil.example/x.png"/>',
            'SVG refers outside itself (href="https://evil.example/x.png" on <image>)',
        ),
        (
            '<image xlink:href="data:image/png;base64,AAAA"/>',
            'SVG refers outside itself (href="data:image/png;base64,AAAA" on <image>)',
        ),
        ('<use href="other.svg#shape"/>', 'SVG refers outside itself (href="other.svg#shape" on <use>)'),
        (
            '<a xlink:href="javascript:alert(1)"><text>x</text></a>',
            'SVG refers outside itself (href="javascript:alert(1)" on <a>)',
        ),
        (
            '<a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>',
            'SVG animates an address or handler (attributeName="href" on <set>)',
        ),
        (
            '<rect><set attributeName="fill" to="url(https://evil.example/p.svg#g)"/></rect>',
            "SVG style loads url(https://evil.example/p.svg#g) (to on <set>)",
        ),
        ('<style>@import "https://evil.example/a.css";</style>', "SVG style loads another file (@import in <style>)"),
        (
            "<style>rect { fill: url(https://evil.example/a.svg#g) }</style>",
            "SVG style loads url(https://evil.example/a.svg#g) (<style>)",
        ),
        (
            "<style>rect {}<!-- x -->circle { fill: url('//evil.example/g') }</style>",
            "SVG style loads url(//evil.example/g) (<style>)",
        ),
        (
            '<rect width="1" height="1" style="fill: u\\72l(//evil.example/x)"/>',
            "SVG style loads url(//evil.example/x) (style on <rect>)",
        ),
        (
            '<rect width="1" height="1" fill="url(https://evil.example/x#g)"/>',
            "SVG style loads url(https://evil.example/x#g) (fill on <rect>)",
        ),
        (
            '<rect width="1" height="1" style="background: image-set(\'x.png\' 1x)"/>',
            "SVG style loads another file (image-set( in style on <rect>)",
        ),
    ],
)
def test_an_svg_with_code_or_an_outside_reference_is_an_error(tmp_path, inner, message):
    problems = problems_for(tmp_path, {"images/x.svg": svg(inner)})
    assert problems == [f"content/images/x.svg:2: file: {message}; {FIX}"]


def test_an_event_handler_on_the_root_points_at_line_one(tmp_path):
    problems = problems_for(tmp_path, {"extra/favicon.svg": svg("<rect/>", ' onload="alert(1)"')})
    assert problems == [f"content/extra/favicon.svg:1: file: SVG holds an event handler (onload on <svg>); {FIX}"]


def test_each_finding_is_reported_once_per_file(tmp_path):
    drawing = svg("<script>a()</script>\n<script>b()</script>\n<rect onclick='c()'/>")
    assert problems_for(tmp_path, {"images/x.svg": drawing}) == [
        f"content/images/x.svg:2: file: SVG holds <script>; {FIX}",
        f"content/images/x.svg:4: file: SVG holds an event handler (onclick on <rect>); {FIX}",
    ]


def test_an_entity_declaration_is_an_error_and_never_expanded(tmp_path):
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    drawing = f'<!DOCTYPE svg [<!ENTITY l0 "lol">{laughs}]>\n' + svg("<text>&l9;</text>")
    assert problems_for(tmp_path, {"images/x.svg": drawing}) == [
        f"content/images/x.svg: file: SVG declares an entity (<!ENTITY>); {FIX}"
    ]


def test_an_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    drawing = f'<!DOCTYPE svg [<!ENTITY x SYSTEM "file://{secret}">]>\n' + svg("<text>&x;</text>")
    problems = problems_for(tmp_path, {"images/x.svg": drawing})
    assert problems == [f"content/images/x.svg: file: SVG declares an entity (<!ENTITY>); {FIX}"]
    assert not any("TOP SECRET" in problem for problem in problems)


def test_the_usual_svg_doctype_passes(tmp_path):
    drawing = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        + svg("<rect/>")
    )
    assert problems_for(tmp_path, {"images/x.svg": drawing}) == []


def test_a_style_sheet_processing_instruction_is_an_error(tmp_path):
    drawing = '<?xml-stylesheet href="https://evil.example/a.css"?>\n' + svg("<rect/>")
    assert problems_for(tmp_path, {"images/x.svg": drawing}) == [
        f"content/images/x.svg:1: file: SVG holds a processing instruction (<?xml-stylesheet?>); {FIX}"
    ]


def test_an_unparseable_svg_is_an_error(tmp_path):
    drawing = svg("<rect>")
    assert problems_for(tmp_path, {"images/x.svg": drawing}) == [
        f"content/images/x.svg:3: file: SVG cannot be parsed (Opening and ending tag mismatch: rect line 2 and svg); "
        f"{FIX}"
    ]


def test_an_html_file_named_svg_is_an_error(tmp_path):
    problems = problems_for(tmp_path, {"images/x.svg": "<html><body>hi</body></html>\n"})
    assert problems == [f"content/images/x.svg:1: file: is not an SVG image (it starts with <html>); {FIX}"]


def test_the_build_refuses_a_script_file_and_writes_nothing(tmp_path):
    content = write_site(tmp_path, {**minimal_files(), "images/app.js": "alert(1)\n"})
    output = tmp_path / "output"
    with pytest.raises(ContentProblems) as raised:
        build_site(content, output)
    assert f"content/images/app.js: file: '.js' files are not published; {TYPES_FIX}" in raised.value.report()
    assert not output.exists()


def test_the_build_publishes_a_plain_svg_as_it_is(tmp_path):
    drawing = svg('<rect width="10" height="10" fill="#0b5d7a"/>')
    content = write_site(tmp_path, {**minimal_files(), "images/plain.svg": drawing})
    output = tmp_path / "output"
    build_site(content, output)
    assert (output / "images" / "plain.svg").read_text(encoding="utf-8") == drawing


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            ".png",
            "Setting 'EDITORIAL_STATIC_TYPES': expected a list of extensions such as '.png', got '.png'",
        ),
        (["png", ".jpg", 3], "Setting 'EDITORIAL_STATIC_TYPES': expected extensions such as '.png', got ['png', 3]"),
    ],
)
def test_static_types_setting_is_checked(tmp_path, value, message):
    with pytest.raises(SettingsError) as raised:
        problems_for(tmp_path, {}, EDITORIAL_STATIC_TYPES=value)
    assert str(raised.value) == message
