"""The hostile corpus of issue 12: payloads in every field, fixture sites that carry them, and the
checks every built page and feed must pass (HTML parsed with html5lib, as browsers parse it;
feeds with lxml and feedparser).

A payload has two acceptable outcomes: the build refuses it with a ContentProblems report naming
the file, or the site shows it harmlessly, as text. The corpora here say which outcome each
payload must have; the checks say what "harmless" means.
"""

import html
import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import html5lib
from lxml import etree
from support import AUTHOR, PARTNER, SERIES, TEST_SITEURL

SITENAME = "YouTern Career Advice"
SITE_SHORT_NAME = "YouTern"  # EDITORIAL_SITE_NAME, the {site} of credit lines

# --------------------------------------------------------------------------------------------
# Payloads
# --------------------------------------------------------------------------------------------

# One-line text with markup characters: what a title, name, role, tag, alt text or credit may
# hold. Every one must be accepted and shown as the literal characters. None holds a comma
# (Tags and Links split on commas).
TEXT_PAYLOADS = [
    "Harmless <script>alert(7)</script> title",
    '" autofocus onfocus="alert(1)',
    "'><svg onload=alert(1)>",
    "</script><!--<script> in a title",
    "&lt;img src=x onerror=alert(1)&gt;",
    "<!-- --> <![CDATA[ ]]> --> <!-- terminators",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/"> <base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css"> <style>body{display:none}</style>',
    '<a href="javascript:alert(1)">click</a> <img src="JaVaScRiPt:alert(1)">',
    '<iframe src="https://evil.example/"></iframe> <object data="https://evil.example/x.swf">',
]
ESCAPED_IMG_TITLE = TEXT_PAYLOADS[4]


def tag_payload(number, payload):
    """A tag holding `payload`: Pelican splits Tags on ';' when there is one (so none here), and
    its slugify strips markup first, so leading words keep every tag's slug distinct and
    non-empty (a tag that slugifies to nothing is an error, as it should be)."""
    return squash(f"Tag {number} {payload.replace(';', ' ')}")


# Markdown that must be accepted in any body (staff or guest) and shown as text: markup inside
# code spans, indented and fenced code, and entity-escaped text.
TEXT_BODY = """\
First paragraph: `<!--<script>` then `</script>` & `<![CDATA[` and `]]>` and `-->` in code.

Entity-escaped &lt;img src=x onerror=alert(1)&gt; and &lt;script&gt;alert(1)&lt;/script&gt; stay text.

    <script>alert("indented code block")</script>

```html
<script>alert("fenced")</script>
<img src=x onerror=alert(1)>
```

Last paragraph.
"""
# What a reader sees of TEXT_BODY (whitespace squashed), piece by piece.
TEXT_BODY_VISIBLE = [
    "First paragraph: <!--<script> then </script> & <![CDATA[ and ]]> and --> in code.",
    "Entity-escaped <img src=x onerror=alert(1)> and <script>alert(1)</script> stay text.",
    '<script>alert("indented code block")</script>',
    '<script>alert("fenced")</script> <img src=x onerror=alert(1)>',
]
FIRST_PARAGRAPH_TEXT = TEXT_BODY_VISIBLE[0]

_DATA_HTML = "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="

# Dangerous URL schemes and their entity and whitespace spellings (browsers decode character
# references and drop tabs, newlines and leading spaces before they read a scheme).
DANGEROUS_URLS = {
    "javascript": "javascript:alert(1)",
    "mixed-case": "JaVaScRiPt:alert(1)",
    "tab-entity": "java&#x09;script:alert(1)",
    "decimal-entity": "&#106;avascript:alert(1)",
    "leading-space": " javascript:alert(1)",
    "comment-slashes": "javascript://%0aalert(1)",
    "vbscript": "vbscript:msgbox(1)",
    "data-html": _DATA_HTML,
}
# Values of URL fields that are no URL at all: attribute break-outs.
NON_URLS = {
    "quote-breakout": '" onfocus="alert(1)',
    "tag-breakout": "'><svg onload=alert(1)>",
}
BAD_URL_VALUES = {**DANGEROUS_URLS, **NON_URLS}

# Markup the sanitiser strips from untrusted Markdown bodies (profiles: bios, partner and series
# descriptions). Each is a paragraph of its own; together they cover every class of the issue,
# with the spellings that slip past a pattern over the Markdown source.
STRIPPED_MARKUP = [
    '<script>alert("body")</script>',
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)">clickable</p>',
    '<svg onload=alert(1)><a xlink:href="javascript:alert(1)"><text>svg link</text></a></svg>',
    *(f'<a href="{url}">link {name}</a>' for name, url in DANGEROUS_URLS.items()),
    "[markdown link](javascript:alert(1)) and ![markdown image](javascript:alert(2))",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example/"><input name="q" autofocus onfocus="alert(1)"></form>',
    # Split over two lines: the handler is on a line of its own.
    "<img src=x\nonerror=alert(1)>",
    '<a href="java\nscript:alert(1)">split link</a>',
    # Inside a list continuation indented four spaces.
    '- a list item\n\n    <script>alert("list")</script>',
    # Backticks inside an HTML block are no code span.
    '<div>\n`<script>alert("block")</script>`\n</div>',
]
# Openers that, left raw, would swallow the rest of the page: last, after the marker text.
STRIPPED_TAIL = [
    "<!-- an unclosed comment",
    # An unclosed code fence is no code block: what follows is raw HTML.
    '```\n<script>alert("fence")</script>',
]


def stripped_body(marker):
    """A Markdown body: `marker` as text, every STRIPPED_MARKUP paragraph, then the tail."""
    return "\n\n".join([f"{marker} begins.", *STRIPPED_MARKUP, f"{marker} ends.", *STRIPPED_TAIL]) + "\n"


# Guest bodies that must be refused (a post with a Partner): name -> Markdown.
GUEST_REFUSED = {
    "script": '<script>alert("guest")</script>',
    "script-src": "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "onclick": '<p onclick="alert(1)">click me</p>',
    "img-onerror": "<img src=x onerror=alert(1)>",
    "svg-onload": "<svg onload=alert(1)></svg>",
    "autofocus-onfocus": '<input autofocus onfocus="alert(1)">',
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe-allowed-host": '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    **{f"a-href-{name}": f'<a href="{url}">link</a>' for name, url in DANGEROUS_URLS.items()},
    "markdown-link-javascript": "[click](javascript:alert(1))",
    "markdown-image-javascript": "![x](javascript:alert(1))",
    "svg-xlink-javascript": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base": '<base href="https://evil.example/">',
    "link": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "style": "<style>body{display:none}</style>",
    "form": '<form action="https://evil.example/"><input name="q"></form>',
    "split-handler": "<img src=x\nonerror=alert(1)>",
    "split-href": '<a href="java\nscript:alert(1)">link</a>',
    "list-continuation": '- item\n\n    <script>alert("list")</script>',
    "unclosed-fence": '```\n<script>alert("fence")</script>',
    "backticks-in-html-block": '<div>\n`<script>alert("block")</script>`\n</div>',
}

# Staff bodies that must be refused: scripts however spelt, javascript: URLs, iframes from a
# host that is not on EDITORIAL_IFRAME_HOSTS.
STAFF_REFUSED = {
    "script": '<script>alert("staff")</script>',
    "script-src": "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "list-continuation": '- item\n\n    <script>alert("list")</script>',
    "unclosed-fence": '```\n<script>alert("fence")</script>',
    "backticks-in-html-block": '<div>\n`<script>alert("block")</script>`\n</div>',
    **{
        f"a-href-{name}": f'<a href="{DANGEROUS_URLS[name]}">link</a>'
        for name in ("javascript", "mixed-case", "tab-entity", "decimal-entity", "leading-space")
    },
    "split-href": '<a href="java\nscript:alert(1)">link</a>',
    "markdown-link-javascript": "[click](javascript:alert(1))",
    "iframe-other-host": '<iframe src="https://evil.example/"></iframe>',
}

# Staff bodies whose outcome the contract leaves to the sanitiser's wider staff list: refused,
# or built with nothing active left in the page.
STAFF_EITHER = {
    "onclick": '<p onclick="alert(1)">click me</p>',
    "img-onerror": "<img src=x onerror=alert(1)>",
    "split-handler": "<img src=x\nonerror=alert(1)>",
    "svg-onload": "<svg onload=alert(1)></svg>",
    "a-href-vbscript": '<a href="vbscript:msgbox(1)">link</a>',
    "a-href-data-html": f'<a href="{_DATA_HTML}">link</a>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base": '<base href="https://evil.example/">',
    "link": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "style": "<style>body{display:none}</style>",
    "form": '<form action="https://evil.example/"><input name="q" autofocus onfocus="alert(1)"></form>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "unclosed-comment": "<!-- the rest of the page",
}

# Fragments the property-based test combines in a guest body and a title.
FRAGMENTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" autofocus onfocus="alert(1)',
    "'><svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" JaVaScRiPt:alert(1)">x</a>',
    f'<a href="{_DATA_HTML}">x</a>',
    "[x](javascript:alert(1))",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>*{display:none}</style>",
    '<iframe src="https://evil.example/"></iframe>',
    '<form action="https://evil.example/">',
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "</script>",
    "<!--<script>",
    "`",
    "```",
    "- item",
    "<div>",
    "</div>",
    "&lt;img src=x onerror=alert(1)&gt;",
    "<b",
    "onmouseover=alert(1)>",
    "plain words",
]
JOINERS = [" ", "\n", "\n\n", "\n\n    "]

# --------------------------------------------------------------------------------------------
# Fixture files
# --------------------------------------------------------------------------------------------


def png(width=1200, height=630, rgb=(40, 90, 160)):
    """A valid one-colour RGB PNG (no imaging library needed): a photo-sized featured image."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", header),
        chunk(b"IDAT", zlib.compress(row * height, 9)),
        chunk(b"IEND", b""),
    ])  # fmt: skip


PHOTO = "images/photo.png"
AVATAR = "images/avatar.png"
LOGO = "images/logo.png"


def header(fields, body):
    """A content file: `Key: value` lines (None values left out), a blank line, the body."""
    lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
    return "\n".join(lines) + "\n\n" + body.rstrip("\n") + "\n"


def post_fields(slug, day, **fields):
    """Header fields of a valid post at /2014/03/<slug>/ on 2014-03-<day>."""
    return {
        "Title": f"Post {slug}",
        "Date": f"2014-03-{day:02d} 09:00",
        "Category": "Job Interviews",
        "Tags": "Recruiters",
        "Authors": "ada-writer",
        "Slug": slug,
        **fields,
    }


def base_files():
    """The valid profiles every fixture site starts from (no posts), and its images."""
    return {
        "authors/ada-writer.md": AUTHOR,
        "partners/acme-hiring.md": PARTNER,
        "series/test-series.md": SERIES,
        PHOTO: png(),
        AVATAR: png(160, 160, (200, 120, 40)),
        LOGO: png(160, 160, (40, 160, 90)),
    }


def squash(text):
    """Whitespace collapsed to single spaces, as a reader sees it."""
    return " ".join(text.split())


@dataclass
class PostSpec:
    """What one fixture post holds and therefore what its pages and feed items must show."""

    slug: str
    day: int
    title: str
    summary: str | None
    tags: list
    image_alt: str
    image_credit: str
    guest: bool
    authors: list  # display names
    series: bool
    visible_body: list = field(default_factory=list)

    @property
    def url(self):
        """Absolute permalink."""
        return f"{TEST_SITEURL}/2014/03/{self.slug}/"

    @property
    def page(self):
        """Output path of the post's page."""
        return f"2014/03/{self.slug}/index.html"


@dataclass
class Corpus:
    """A fixture site: its files, its posts and the text of its profiles."""

    files: dict
    posts: list
    author: dict = field(default_factory=dict)  # id, name, role, links [(label, url)], bio_visible
    partner: dict = field(default_factory=dict)  # id, name, url, credit_visible, description_visible
    series: dict = field(default_factory=dict)  # id, name, description_visible
    redirects: dict = field(default_factory=dict)  # output path of a redirect page -> post slug

    def post(self, slug):
        """The PostSpec of `slug`."""
        return next(spec for spec in self.posts if spec.slug == slug)


HOSTILE_AUTHOR_NAME = 'Eve <script>alert("name")</script> " autofocus onfocus="alert(1) \'><svg onload=alert(1)>'
HOSTILE_ROLE = "Role </title><!--<script> ]]> <![CDATA[ --> <style>*{}</style>"
HOSTILE_LINKS = [
    ("<b onmouseover=alert(1)>Site</b>", "https://example.org/eve?a=1&b=2"),
    ('" autofocus onfocus="alert(1)', "https://example.org/x"),
]
HOSTILE_PARTNER_NAME = 'Partner <script>alert(2)</script> & "Co" \'><svg onload=alert(1)>'
HOSTILE_PARTNER_URL = "https://partner.example/?a=1&b=2"
HOSTILE_CREDIT = 'For this post, {site} thanks <em>{partner}</em> " onmouseover="alert(1) <!--'
HOSTILE_BLOG_NAME = "Blog <img src=x onerror=alert(3)> &amp; friends"
HOSTILE_SERIES_NAME = "Series <script>alert(4)</script> </script><!--<script> & more"
PROFILE_BODY = "{who} writes about `<script>` tags and &lt;img src=x onerror=alert(1)&gt; tricks."


def escaped_summary(payload):
    """A Summary holding `payload` and a JSON-LD break-out, entity-escaped."""
    return f"Summary &lt;/script&gt;&lt;!--&lt;script&gt; &amp; {html.escape(payload, quote=False)}"


def accepted_text_corpus():
    """Site (a): every text field of posts and profiles holds markup characters. It must build,
    and every field must read back as its literal text."""
    files = base_files()
    files["authors/hostile-author.md"] = header(
        {
            "Name": HOSTILE_AUTHOR_NAME,
            "Role": HOSTILE_ROLE,
            "Affiliation": "hostile-partner",
            "Avatar": AVATAR,
            "Links": ", ".join(f"{label} {url}" for label, url in HOSTILE_LINKS),
        },
        PROFILE_BODY.format(who="Eve"),
    )
    files["partners/hostile-partner.md"] = header(
        {
            "Name": HOSTILE_PARTNER_NAME,
            "Url": HOSTILE_PARTNER_URL,
            "Logo": LOGO,
            "Credit": HOSTILE_CREDIT,
            "Rel": "sponsored",
            "Syndicate": "none",
        },
        PROFILE_BODY.format(who="The partner"),
    )
    # A partner blog taking every post: its syndication feed carries the whole corpus.
    files["partners/hostile-blog.md"] = header(
        {"Name": HOSTILE_BLOG_NAME, "Url": "https://blog.partner.example/", "Syndicate": "all"},
        PROFILE_BODY.format(who="The blog"),
    )
    files["series/hostile-series.md"] = header({"Name": HOSTILE_SERIES_NAME}, PROFILE_BODY.format(who="The series"))

    posts = []
    count = len(TEXT_PAYLOADS)
    for index, title in enumerate(TEXT_PAYLOADS):
        slug = f"hostile-{index}"
        guest = index % 2 == 1
        # Two posts derive their summary from the first paragraph, which holds comment
        # openers and </script> in code: the text reaching JSON-LD and the meta description.
        # The others hold markup entity-escaped: text whether Summary is read as text or as
        # Markdown (as Pelican reads it); raw markup in Summary is tried in SUMMARY_EITHER.
        summary = None if index in (3, 6) else escaped_summary(TEXT_PAYLOADS[(index + 1) % count])
        tag = tag_payload(index, TEXT_PAYLOADS[(index + 2) % count])
        in_series = index < 4
        authors = [HOSTILE_AUTHOR_NAME] + (["Ada Writer"] if index % 3 == 0 else [])
        spec = PostSpec(
            slug=slug,
            day=index + 1,
            title=title,
            summary=summary,
            tags=[tag, "Recruiters"],
            image_alt=TEXT_PAYLOADS[(index + 3) % count],
            image_credit=TEXT_PAYLOADS[(index + 4) % count],
            guest=guest,
            authors=authors,
            series=in_series,
            visible_body=TEXT_BODY_VISIBLE,
        )
        fields = post_fields(
            slug,
            spec.day,
            Title=title,
            Summary=summary,
            Tags=", ".join(spec.tags),
            Authors="hostile-author" + (", ada-writer" if len(authors) > 1 else ""),
            Partner="hostile-partner" if guest else None,
            Series="hostile-series" if in_series else None,
            Series_index=str(index + 1) if in_series else None,
            Image=PHOTO,
            Image_alt=spec.image_alt,
            Image_credit=spec.image_credit,
            Image_credit_url=f"https://credit.example/photo?id={index}&size=large",
            Canonical=f"https://elsewhere.example/original/{index}?a=1&b=2" if index == 2 else None,
            Aliases="/2013/01/old-hostile/" if index == 0 else None,
        )
        files[f"posts/{slug}.md"] = header(fields, TEXT_BODY)
        posts.append(spec)

    partner_name = HOSTILE_PARTNER_NAME
    return Corpus(
        files=files,
        posts=posts,
        author={
            "id": "hostile-author",
            "name": HOSTILE_AUTHOR_NAME,
            "role": HOSTILE_ROLE,
            "links": HOSTILE_LINKS,
            "bio_visible": "Eve writes about <script> tags and <img src=x onerror=alert(1)> tricks.",
        },
        partner={
            "id": "hostile-partner",
            "name": partner_name,
            "url": HOSTILE_PARTNER_URL,
            "credit_visible": squash(
                HOSTILE_CREDIT.replace("{site}", SITE_SHORT_NAME).replace("{partner}", partner_name)
            ),
            "description_visible": "The partner writes about <script> tags and <img src=x onerror=alert(1)> tricks.",
        },
        series={
            "id": "hostile-series",
            "name": HOSTILE_SERIES_NAME,
            "description_visible": "The series writes about <script> tags and <img src=x onerror=alert(1)> tricks.",
        },
        redirects={"2013/01/old-hostile/index.html": "hostile-0"},
    )


def accepted_stripped_corpus():
    """Site (a), second half: profile bodies (bio, partner and series descriptions) hold markup
    the sanitiser strips. It must build, keep their text and lose everything active."""
    files = base_files()
    files["authors/stripped-author.md"] = header(
        {"Name": "Stripped Author", "Role": "Writer", "Affiliation": "stripped-partner"},
        stripped_body("Bio marker"),
    )
    files["partners/stripped-partner.md"] = header(
        {"Name": "Stripped Partner", "Url": "https://stripped.example/"}, stripped_body("Partner marker")
    )
    files["series/stripped-series.md"] = header({"Name": "Stripped Series"}, stripped_body("Series marker"))
    posts = []
    for index, guest in enumerate((False, True)):
        slug = f"stripped-{index}"
        spec = PostSpec(
            slug=slug,
            day=20 + index,
            title=f"Stripped post {index}",
            summary=None,
            tags=["Recruiters"],
            image_alt="",
            image_credit="",
            guest=guest,
            authors=["Stripped Author"],
            series=True,
        )
        fields = post_fields(
            slug,
            spec.day,
            Title=spec.title,
            Authors="stripped-author",
            Partner="stripped-partner" if guest else None,
            Series="stripped-series",
            Series_index=str(index + 1),
        )
        files[f"posts/{slug}.md"] = header(fields, "A plain paragraph of advice.")
        posts.append(spec)
    return Corpus(
        files=files,
        posts=posts,
        author={"id": "stripped-author", "marker": "Bio marker"},
        partner={"id": "stripped-partner", "marker": "Partner marker"},
        series={"id": "stripped-series", "marker": "Series marker"},
    )


def guest_post(slug, day, body, **fields):
    """A guest post (Partner: acme-hiring) holding `body` between two plain paragraphs."""
    return header(
        post_fields(slug, day, Title=f"Guest {slug}", Partner="acme-hiring", **fields),
        f"An opening paragraph.\n\n{body}\n\nA closing paragraph.",
    )


def staff_post(slug, day, body):
    """A staff post holding `body` between two plain paragraphs."""
    return header(
        post_fields(slug, day, Title=f"Staff {slug}"), f"An opening paragraph.\n\n{body}\n\nA closing paragraph."
    )


def url_field_cases():
    """Every URL field crossed with every bad value: [(case id, file, field, file text)]."""
    cases = []
    for number, (name, value) in enumerate(BAD_URL_VALUES.items()):
        cases += [
            (
                f"Links-{name}",
                f"authors/links-{name}.md",
                "Links",
                header({"Name": "Link Author", "Links": f"Site {value}"}, "A bio."),
            ),
            (
                f"Avatar-{name}",
                f"authors/avatar-{name}.md",
                "Avatar",
                header({"Name": "Avatar Author", "Avatar": value}, "A bio."),
            ),
            (
                f"Url-{name}",
                f"partners/url-{name}.md",
                "Url",
                header({"Name": "Url Partner", "Url": value}, "A description."),
            ),
            (
                f"Logo-{name}",
                f"partners/logo-{name}.md",
                "Logo",
                header({"Name": "Logo Partner", "Url": "https://logo.example/", "Logo": value}, "A description."),
            ),
            (
                f"Series-Image-{name}",
                f"series/image-{name}.md",
                "Image",
                header({"Name": "Image Series", "Image": value}, "A description."),
            ),
            (
                f"Image-{name}",
                f"posts/image-{name}.md",
                "Image",
                header(post_fields(f"image-{name}", 1 + number, Image=value, Image_alt="An image"), "Advice."),
            ),
            (
                f"Image_credit_url-{name}",
                f"posts/credit-url-{name}.md",
                "Image_credit_url",
                header(
                    post_fields(
                        f"credit-url-{name}",
                        1 + number,
                        Image=PHOTO,
                        Image_alt="A photo",
                        Image_credit="A photographer",
                        Image_credit_url=value,
                    ),
                    "Advice.",
                ),
            ),
            (
                f"Canonical-{name}",
                f"posts/canonical-{name}.md",
                "Canonical",
                header(post_fields(f"canonical-{name}", 1 + number, Canonical=value), "Advice."),
            ),
        ]
    return cases


def refused_groups():
    """Sites that must each be refused as a whole, every payload named in one report:
    {group: [(case id, file, field or None, file text)]}."""
    guest = [
        (name, f"posts/guest-{name}.md", None, guest_post(f"guest-{name}", 1 + n % 28, body))
        for n, (name, body) in enumerate(GUEST_REFUSED.items())
    ]
    staff = [
        (name, f"posts/staff-{name}.md", None, staff_post(f"staff-{name}", 1 + n % 28, body))
        for n, (name, body) in enumerate(STAFF_REFUSED.items())
    ]
    return {"url-fields": url_field_cases(), "guest-bodies": guest, "staff-bodies": staff}


# --------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------


def parse_html(text):
    """An HTML document parsed as browsers parse it (html5lib), as an ElementTree root."""
    return html5lib.parse(text, treebuilder="etree", namespaceHTMLElements=False)


def parse_fragment(text):
    """An HTML fragment (feed content) parsed as a browser parses innerHTML, in a <div>."""
    return html5lib.parseFragment(text, container="div", treebuilder="etree", namespaceHTMLElements=False)


def local(name):
    """Element or attribute name without its namespace, lower case ('' for comments)."""
    return name.rsplit("}", 1)[-1].lower() if isinstance(name, str) else ""


def elements(root):
    """Every element below and including `root` (comments left out)."""
    return [element for element in root.iter() if isinstance(element.tag, str)]


def attributes(element):
    """The element's attributes by local name (xlink:href becomes 'href' too)."""
    return {local(name): value for name, value in element.attrib.items()}


_HIDDEN = {"script", "style", "template"}


def text_of(element):
    """The text a reader sees in `element` (script, style and comments left out), squashed."""
    parts = []

    def walk(node):
        if local(node.tag) in _HIDDEN or not isinstance(node.tag, str):
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return squash("".join(parts))


def find_all(root, tag):
    """Every element named `tag` (local name)."""
    return [element for element in elements(root) if local(element.tag) == tag]


def head_and_body(root):
    """The <head> and <body> elements of a parsed document."""
    return find_all(root, "head")[0], find_all(root, "body")[0]


# --------------------------------------------------------------------------------------------
# Checks: each yields one message per finding, empty when the page is harmless
# --------------------------------------------------------------------------------------------

URL_ATTRIBUTES = {
    *("href", "src", "action", "formaction", "srcset", "imagesrcset", "poster", "data", "background"),
    *("cite", "longdesc", "lowsrc", "dynsrc", "codebase", "icon", "manifest", "ping"),
}
# Browsers ignore C0 controls and spaces around a URL and tabs and newlines inside its scheme;
# dropping all of them is stricter still.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:")
EMBEDDING_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet"}
_REFRESH = re.compile(r"^\s*0\s*;\s*url=(\S+)\s*$", re.IGNORECASE)


def short(element):
    """A short description of an element for a message."""
    attrs = " ".join(f'{name}="{value[:60]}"' for name, value in element.attrib.items())
    return f"<{local(element.tag)}{' ' + attrs if attrs else ''}>"


def url_candidates(name, value):
    """The URLs an attribute value holds (srcset and ping hold several)."""
    if name in ("srcset", "imagesrcset"):
        return [candidate.strip().split(" ")[0] for candidate in value.split(",") if candidate.strip()]
    if name == "ping":
        return value.split()
    return [value]


def dangerous_url(element, name, url):
    """True when `url`, as a browser reads it, runs script or loads a document from data."""
    cleaned = _IGNORED_IN_URL.sub("", url).lower()
    if cleaned.startswith(SCRIPT_SCHEMES):
        return True
    if cleaned.startswith("data:"):
        return not (
            local(element.tag) in ("img", "source") and name in ("src", "srcset") and cleaned.startswith("data:image/")
        )
    return False


def check_scripts(root, site):
    """No <script> but the site's own: JSON-LD blocks and scripts from the site's /theme/."""
    for element in find_all(root, "script"):
        attrs = attributes(element)
        kind = attrs.get("type", "").strip().lower()
        src = attrs.get("src", "").strip()
        if kind == "application/ld+json" and not src:
            continue
        own = src.startswith((f"{site}/theme/", "/theme/")) and not (element.text or "").strip()
        if src and own and kind in ("", "module", "text/javascript"):
            continue
        yield f"foreign script element {short(element)}: {(element.text or '')[:80]!r}"


def check_jsonld(root, site):
    """Every JSON-LD block parses and holds no raw '<', '>' or '&' (nothing can close or comment it)."""
    for element in find_all(root, "script"):
        if attributes(element).get("type", "").strip().lower() != "application/ld+json":
            continue
        text = element.text or ""
        raw = sorted({character for character in "<>&" if character in text})
        if raw:
            yield f"JSON-LD holds raw {' '.join(raw)}: {text[:120]!r}"
        try:
            json.loads(text)
        except ValueError as error:
            yield f"JSON-LD does not parse ({error}): {text[:120]!r}"


def check_event_handlers(root, site):
    """No attribute whose name starts with 'on'."""
    for element in elements(root):
        for name in attributes(element):
            if name.startswith("on"):
                yield f"event handler {name} on {short(element)}"


def is_redirect_page(root, site):
    """The fixed shape of a generated redirect page: noindex, a canonical link and a zero-second
    refresh, both to the same page of the site."""
    head, _ = head_and_body(root)
    refreshes = [m for m in find_all(root, "meta") if attributes(m).get("http-equiv", "").lower() == "refresh"]
    canonical = [link for link in find_all(head, "link") if attributes(link).get("rel", "").lower() == "canonical"]
    robots = [m for m in find_all(head, "meta") if attributes(m).get("name", "").lower() == "robots"]
    if len(refreshes) != 1 or refreshes[0] not in list(head) or len(canonical) != 1 or not robots:
        return False
    match = _REFRESH.match(attributes(refreshes[0]).get("content", ""))
    target = match.group(1) if match else ""
    return (
        attributes(robots[0]).get("content", "").lower() == "noindex"
        and target == attributes(canonical[0]).get("href")
        and target.startswith(site + "/")
    )


def check_meta(root, site, redirect=False):
    """No <meta> outside <head>; no refresh outside redirect pages; no http-equiv but the CSP."""
    _, body = head_and_body(root)
    for element in find_all(body, "meta"):
        yield f"meta element in the body: {short(element)}"
    for element in find_all(root, "meta"):
        equiv = attributes(element).get("http-equiv", "").strip().lower()
        if equiv == "refresh" and not redirect:
            yield f"meta refresh outside a redirect page: {short(element)}"
        elif equiv not in ("", "refresh", "content-security-policy", "content-type", "x-ua-compatible"):
            yield f"meta http-equiv={equiv}: {short(element)}"


def check_base(root, site):
    """No <base> element: it would point every relative URL elsewhere."""
    for element in find_all(root, "base"):
        yield f"base element {short(element)}"


def check_embeds(root, site):
    """No iframe, frame, object, embed or applet (the corpus embeds nothing allow-listed)."""
    for element in elements(root):
        if local(element.tag) in EMBEDDING_ELEMENTS:
            yield f"embedding element {short(element)}"


def check_urls(root, site):
    """No URL attribute (nor CSS in a style attribute) that runs script or loads a data: document."""
    for element in elements(root):
        for name, value in attributes(element).items():
            if name in URL_ATTRIBUTES:
                for url in url_candidates(name, value):
                    if dangerous_url(element, name, url):
                        yield f"dangerous URL in {name} of {short(element)}"
            elif name == "style":
                css = _IGNORED_IN_URL.sub("", value).lower()
                if any(bad in css for bad in ("javascript:", "vbscript:", "expression(", "-moz-binding", "behavior:")):
                    yield f"scripted CSS in style of {short(element)}"


def check_styles(root, site):
    """No <style> element in the body."""
    _, body = head_and_body(root)
    for element in find_all(body, "style"):
        yield f"style element in the body: {(element.text or '')[:80]!r}"


def check_links(root, site):
    """No <link> outside <head>; stylesheets only from the site itself."""
    head, body = head_and_body(root)
    for element in find_all(body, "link"):
        yield f"link element in the body: {short(element)}"
    for element in find_all(head, "link"):
        attrs = attributes(element)
        rels = attrs.get("rel", "").lower().split()
        if ("stylesheet" in rels or "import" in rels) and not attrs.get("href", "").startswith(site + "/"):
            yield f"stylesheet from elsewhere: {short(element)}"


def check_whole(root, site):
    """The page is whole: its footer link to the syndication page is an element of the body
    (a comment opener or a JSON-LD break-out swallows the rest of the page)."""
    _, body = head_and_body(root)
    hrefs = {attributes(a).get("href") for a in find_all(body, "a")}
    if f"{site}/syndication/" not in hrefs:
        yield "the page is cut short: the footer's link to /syndication/ is not in the body"


PAGE_CHECKS = {
    "scripts": check_scripts,
    "jsonld": check_jsonld,
    "event-handlers": check_event_handlers,
    "meta": check_meta,
    "base": check_base,
    "embeds": check_embeds,
    "urls": check_urls,
    "styles": check_styles,
    "links": check_links,
    "whole": check_whole,
}


def page_findings(relpath, root, site, redirect_pages=()):
    """{check name: [messages]} for one parsed page; a redirect page listed in `redirect_pages`
    may hold its refresh, and is not expected to carry the site's footer."""
    redirect = relpath in redirect_pages and is_redirect_page(root, site)
    findings = {}
    for name, check in PAGE_CHECKS.items():
        if name == "meta":
            found = list(check_meta(root, site, redirect=redirect))
        elif name == "whole" and relpath in redirect_pages:
            found = []
        else:
            found = list(check(root, site))
        findings[name] = [f"{relpath}: {message}" for message in found]
    if relpath in redirect_pages and not redirect:
        findings["meta"].append(f"{relpath}: the redirect page does not have the redirect shape")
    return findings


def fragment_findings(where, markup, site):
    """[messages] for HTML carried in a feed (a description, content:encoded, content_html):
    it may hold no script, style, meta, link, base or form at all, no handler, frame or
    dangerous URL."""
    wrapper = etree_wrap(parse_fragment(markup))
    found = [
        f"{local(e.tag)} element {short(e)}"
        for e in elements(wrapper)
        if local(e.tag) in ("script", "style", "meta", "link", "base", "form")
    ]
    for check in (check_event_handlers, check_embeds, check_urls):
        found += list(check(wrapper, site))
    return [f"{where}: {message}" for message in found]


def etree_wrap(fragment):
    """A fragment (html5lib's DocumentFragment element) as one element to iterate."""
    wrapper = ElementTree.Element("fragment")
    wrapper.text = fragment.text
    for child in fragment:
        wrapper.append(child)
    return wrapper


def site_pages(output):
    """{output-relative path: parsed document} of every HTML page of a built site."""
    output = Path(output)
    return {
        path.relative_to(output).as_posix(): parse_html(path.read_text(encoding="utf-8"))
        for path in sorted(output.rglob("*.html"))
    }


def all_page_findings(pages, site, redirect_pages=()):
    """{check name: [messages]} over every page."""
    merged = {name: [] for name in PAGE_CHECKS}
    for relpath, root in pages.items():
        for name, messages in page_findings(relpath, root, site, redirect_pages).items():
            merged[name] += messages
    return merged


# --------------------------------------------------------------------------------------------
# Feeds
# --------------------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
FEED_SUFFIXES = (".xml", ".atom", ".rss", ".json")


def feed_files(output):
    """Every feed file of a built site (under feeds/, any of the feed formats)."""
    folder = Path(output) / "feeds"
    return sorted(path for path in folder.rglob("*") if path.is_file() and path.name.endswith(FEED_SUFFIXES))


@dataclass
class FeedText:
    """One text field of a feed as a reader gets it: where, its text, and whatever elements
    it turned into (which must be none)."""

    where: str
    text: str
    elements: list


@dataclass
class FeedItem:
    """One item or entry: its link, text fields, and the HTML it carries."""

    where: str
    links: list
    title: FeedText | None
    creators: list
    categories: list
    html: list  # [(where, markup)]


@dataclass
class Feed:
    """A parsed feed: its file, channel title and items."""

    path: Path
    kind: str
    title: FeedText | None
    items: list


def _xml_text(where, element):
    """A text element of RSS or Atom as readers read it: Atom's type="html" is HTML, and
    type="xhtml" is markup already; RSS titles and dc:creator are text."""
    if element is None:
        return None
    kind = (element.get("type") or "text").lower()
    children = [child for child in element if isinstance(child.tag, str)]
    if kind == "html":
        fragment = etree_wrap(parse_fragment(element.text or ""))
        return FeedText(where, text_of(fragment), [short(e) for e in elements(fragment)[1:]])
    if kind == "xhtml":
        inner = [e for child in children for e in child.iter() if isinstance(e.tag, str)][1:]
        return FeedText(where, squash("".join(element.itertext())), [f"<{local(e.tag)}>" for e in inner])
    return FeedText(where, element.text or "", [f"<{local(child.tag)}>" for child in children])


def parse_feed(path):
    """A Feed from an RSS 2.0, Atom 1.0 or JSON Feed file."""
    name = path.name
    if name.endswith(".json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        items = []
        for number, item in enumerate(data.get("items", [])):
            where = f"{name} item {number}"
            authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
            items.append(
                FeedItem(
                    where=where,
                    links=[item.get("url", ""), item.get("id", "")],
                    title=FeedText(f"{where} title", item.get("title", ""), []),
                    creators=[FeedText(f"{where} author", a.get("name", ""), []) for a in authors],
                    categories=[FeedText(f"{where} tag", t, []) for t in item.get("tags", [])],
                    html=[(f"{where} {key}", item[key]) for key in ("content_html", "summary") if item.get(key)],
                )
            )
        return Feed(path, "json", FeedText(f"{name} title", data.get("title", ""), []), items)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(path.read_bytes(), parser=parser)
    if root.tag == f"{ATOM}feed":
        items = []
        for number, entry in enumerate(root.findall(f"{ATOM}entry")):
            where = f"{name} entry {number}"
            links = [link.get("href", "") for link in entry.findall(f"{ATOM}link")]
            links.append(entry.findtext(f"{ATOM}id") or "")
            markup = []
            for key in ("summary", "content"):
                element = entry.find(f"{ATOM}{key}")
                if element is not None and (element.get("type") or "text") == "html":
                    markup.append((f"{where} {key}", element.text or ""))
                elif element is not None and element.get("type") == "xhtml":
                    markup.append((f"{where} {key}", etree.tostring(element, encoding="unicode")))
            items.append(
                FeedItem(
                    where=where,
                    links=links,
                    title=_xml_text(f"{where} title", entry.find(f"{ATOM}title")),
                    creators=[_xml_text(f"{where} author", a) for a in entry.findall(f"{ATOM}author/{ATOM}name")],
                    categories=[
                        FeedText(f"{where} category", c.get("term", ""), []) for c in entry.findall(f"{ATOM}category")
                    ],
                    html=markup,
                )
            )
        return Feed(path, "atom", _xml_text(f"{name} title", root.find(f"{ATOM}title")), items)
    channel = root.find("channel")
    items = []
    for number, item in enumerate(channel.findall("item")):
        where = f"{name} item {number}"
        items.append(
            FeedItem(
                where=where,
                links=[item.findtext("link") or "", item.findtext("guid") or "", item.findtext("comments") or ""],
                title=_xml_text(f"{where} title", item.find("title")),
                creators=[_xml_text(f"{where} dc:creator", c) for c in item.findall(DC_CREATOR)],
                categories=[_xml_text(f"{where} category", c) for c in item.findall("category")],
                html=[
                    (f"{where} {tag}", element.text or "")
                    for tag, element in (
                        ("description", item.find("description")),
                        ("content", item.find(CONTENT_ENCODED)),
                    )
                    if element is not None
                ],
            )
        )
    return Feed(path, "rss", _xml_text(f"{name} title", channel.find("title")), items)


def item_post(item, posts):
    """The PostSpec an item stands for (by its permalink), or None."""
    for spec in posts:
        path = urlsplit(spec.url).path
        if any(link and urlsplit(link.strip()).path == path for link in item.links):
            return spec
    return None


def unescaped(text):
    """`text` with character references decoded (how an HTML-minded reader may show it)."""
    return html.unescape(text)
