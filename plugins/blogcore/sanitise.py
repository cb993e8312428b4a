"""The allow-lists every post body and profile text passes through after Markdown.

A pattern over the Markdown source cannot see what a browser will parse (a tag split
over two lines, a list continuation, an unclosed fence), so the check runs on the HTML
Markdown produced, and the cleaning is done by nh3 (Rust's ammonia, which parses as
browsers do): whatever falls outside the list is never in the output, even where the
description of what was removed misses something.

`sanitise` returns the clean HTML and `Finding`s that describe, in an editor's words,
what was taken out; the editorial plugin turns them into `file:line: body:` errors.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from types import MappingProxyType
from urllib.parse import urlsplit

import nh3

# Elements a guest post, a profile or a summary may hold: formatting, links, images,
# lists, tables, code. ammonia's defaults, which its maintainers keep safe.
GUEST_TAGS = frozenset(nh3.ALLOWED_TAGS)
# Staff may also embed frames (from EDITORIAL_IFRAME_HOSTS only) and media.
STAFF_EXTRA_TAGS = frozenset(("iframe", "picture", "source", "video", "audio", "track"))

# Attributes on every element: what Markdown's toc, footnotes, abbreviations and
# attribute lists write. `style` is kept on table cells for Markdown's column alignment,
# and only its text-align declarations survive.
GENERIC_ATTRIBUTES = frozenset(("class", "id", "title", "lang", "dir"))
GUEST_ATTRIBUTES = MappingProxyType(
    {
        **{tag: frozenset(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
        "td": frozenset(nh3.ALLOWED_ATTRIBUTES["td"]) | {"style"},
        "th": frozenset(nh3.ALLOWED_ATTRIBUTES["th"]) | {"style"},
        "img": frozenset(nh3.ALLOWED_ATTRIBUTES["img"]) | {"loading", "decoding", "srcset", "sizes"},
        "time": frozenset(("datetime",)),
        "abbr": frozenset(("title",)),
    }
)
STAFF_EXTRA_ATTRIBUTES = MappingProxyType(
    {
        "iframe": frozenset(
            ("src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy", "frameborder")
        ),
        "source": frozenset(("src", "srcset", "sizes", "media", "type")),
        "video": frozenset(("src", "controls", "poster", "width", "height", "preload", "muted", "loop", "playsinline")),
        "audio": frozenset(("src", "controls", "preload", "muted", "loop")),
        "track": frozenset(("src", "kind", "srclang", "label", "default")),
    }
)
STYLE_PROPERTIES = frozenset(("text-align",))
URL_SCHEMES = frozenset(("http", "https", "mailto", "tel"))
# Removed together with their content: it is code, a frame's fallback or a document's
# head, never text for the reader.
DROPPED_WITH_CONTENT = frozenset((
    "script", "style", "object", "embed", "applet", "noscript", "noembed", "noframes", "template",
    "title", "textarea", "xmp", "svg", "math", "frameset", "frame",
))  # fmt: skip
URL_ATTRIBUTES = frozenset(
    ("href", "src", "cite", "poster", "action", "formaction", "data", "xlink:href", "background")
)

# Every element name of HTML, SVG and MathML a page may hold, for the description pass,
# which keeps everything so that it can say what the real pass took out.
_ALL_ELEMENTS = frozenset((
    "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b", "base",
    "basefont", "bdi", "bdo", "bgsound", "big", "blink", "blockquote", "body", "br", "button", "canvas",
    "caption", "center", "cite", "code", "col", "colgroup", "data", "datalist", "dd", "del", "details",
    "dfn", "dialog", "dir", "div", "dl", "dt", "em", "embed", "fieldset", "figcaption", "figure", "font",
    "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup",
    "hr", "html", "i", "iframe", "image", "img", "input", "ins", "isindex", "kbd", "keygen", "label",
    "legend", "li", "link", "listing", "main", "map", "mark", "marquee", "menu", "menuitem", "meta",
    "meter", "nav", "nobr", "noembed", "noframes", "noscript", "object", "ol", "optgroup", "option",
    "output", "p", "param", "picture", "plaintext", "portal", "pre", "progress", "q", "rb", "rp", "rt",
    "rtc", "ruby", "s", "samp", "script", "search", "section", "select", "slot", "small", "source",
    "spacer", "span", "strike", "strong", "style", "sub", "summary", "sup", "table", "tbody", "td",
    "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt", "u", "ul",
    "var", "video", "wbr", "xmp", "svg", "math", "foreignobject", "use", "animate", "set", "mi", "mo",
    "mtext", "annotation-xml",
))  # fmt: skip
# Schemes the description pass keeps so that it can name them; the real pass has URL_SCHEMES.
_ALL_SCHEMES = URL_SCHEMES | {"javascript", "vbscript", "livescript", "data", "file", "blob", "ftp", "about"}
# Whitespace and control characters, which browsers ignore inside a URL's scheme.
_IGNORED_IN_URL = dict.fromkeys(range(0x21))


@dataclass(frozen=True)
class Finding:
    """One thing the sanitiser took out, said for an editor: what, the fix, and pieces
    of text (`needles`, tried in order) to find the source line by, where one is found."""

    message: str
    fix: str
    needles: tuple = ()


@dataclass(frozen=True)
class Policy:
    """An allow-list: the elements, attributes and URL schemes kept, and the hosts an
    iframe may come from. `who` names, in messages, whose content it is for."""

    who: str
    tags: frozenset
    attributes: MappingProxyType
    iframe_hosts: frozenset = frozenset()

    def allows_attribute(self, tag, name):
        """True when `name` is kept on `tag`."""
        return name in GENERIC_ATTRIBUTES or name in self.attributes.get(tag, ())


def guest_policy(who="guest posts"):
    """The list for guest posts, profiles and summaries: no frames, no media, no scripts.
    `who` names the content in messages ("profiles", "summaries")."""
    return Policy(who=who, tags=GUEST_TAGS, attributes=GUEST_ATTRIBUTES)


def staff_policy(iframe_hosts):
    """The wider list for staff posts and pages: iframes from `iframe_hosts`, and media."""
    attributes = dict(GUEST_ATTRIBUTES)
    for tag, names in STAFF_EXTRA_ATTRIBUTES.items():
        attributes[tag] = attributes.get(tag, frozenset()) | names
    return Policy(
        who="posts",
        tags=GUEST_TAGS | STAFF_EXTRA_TAGS,
        attributes=MappingProxyType(attributes),
        iframe_hosts=frozenset(host.lower() for host in iframe_hosts),
    )


def url_scheme(value):
    """The scheme of a URL as a browser reads it (whitespace and control characters
    inside it ignored, any case), or "" for a relative URL."""
    compact = value.translate(_IGNORED_IN_URL).lower()
    scheme, colon, _ = compact.partition(":")
    if not colon or any(character in scheme for character in "/?#"):
        return ""
    return scheme


# Pelican rewrites {filename}, {static}, {tag}... links (its intrasite link regex) in the
# HTML after this sanitiser, with a pattern over the text and the link's rest unescaped:
# a link's rest may hold only what cannot end an attribute or start a scheme, and no other
# attribute may hold what that pattern would take for a link.
_PLACEHOLDER = re.compile(r"[{|](\w+)[|}](.*)", re.DOTALL)
_PLACEHOLDER_REST = re.compile(r"[A-Za-z0-9._~/%#?=&+,;!$()*@-]*")
_PLACEHOLDER_IN_TEXT = re.compile(r"=\s*['\"]\s*[{|]")


def placeholder_problem(name, value):
    """Why the attribute `name`="`value`" may not reach Pelican's link rewriting, or None."""
    if name in URL_ATTRIBUTES:
        match = _PLACEHOLDER.fullmatch(value)
        if match and (not _PLACEHOLDER_REST.fullmatch(match.group(2)) or url_scheme(match.group(2))):
            return f"the link '{value}' holds characters a site link may not (quotes, spaces, '<', '>', a scheme)"
    elif _PLACEHOLDER_IN_TEXT.search(value):
        return f"{name}= holds text Pelican would take for a site link ('={{...')"
    return None


def placeholder_fix(value):
    """What to write instead of a site link that holds what it may not: a tag, category
    or author named with spaces goes by its address name ({category}job-offers)."""
    match = _PLACEHOLDER.fullmatch(value)
    if match and match.group(1) in ("tag", "category", "author") and " " in match.group(2):
        name = match.group(2).strip()
        if _PLACEHOLDER_REST.fullmatch(name.replace(" ", "-")):
            return f"write {{{match.group(1)}}}{name.lower().replace(' ', '-')}, as in its address"
    return "link to the post with its plain address, or remove the quotes"


def srcset_urls(value):
    """The URLs of a srcset's candidates ("a.jpg 1x, b.jpg 2x" -> a.jpg, b.jpg)."""
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


# An iframe's URL as written: https, a host, then a path without backslashes, '@' or
# spaces (browsers read "https://evil.example\\@allowed.example/" as evil.example's).
_IFRAME_URL = re.compile(r"https://([A-Za-z0-9.-]+)(?::\d+)?(?:[/?#][^\s\\@]*)?")


def iframe_host(value):
    """The host of an iframe's https URL, or "" when it has none or is spelt ambiguously."""
    match = _IFRAME_URL.fullmatch(value.strip())
    return match.group(1).lower() if match else ""


class Sanitiser:
    """Cleans HTML fragments under one Policy; made once, used for many fragments."""

    def __init__(self, policy):
        self.policy = policy
        attributes = {tag: set(names) for tag, names in policy.attributes.items()}
        attributes["*"] = set(GENERIC_ATTRIBUTES)
        self._cleaner = nh3.Cleaner(
            tags=set(policy.tags),
            clean_content_tags=set(DROPPED_WITH_CONTENT - policy.tags),
            attributes=attributes,
            attribute_filter=self._keep_attribute,
            url_schemes=set(URL_SCHEMES),
            filter_style_properties=set(STYLE_PROPERTIES),
            link_rel=None,
            strip_comments=True,
        )
        # Keeps every element, attribute and scheme: its output differs from the real
        # pass's only where the real pass removed something, and says what.
        self._describer = nh3.Cleaner(
            tags=set(_ALL_ELEMENTS | policy.tags),
            clean_content_tags=set(),
            generic_attribute_prefixes={""},
            url_schemes=set(_ALL_SCHEMES),
            link_rel=None,
            strip_comments=True,
        )

    def _keep_attribute(self, tag, name, value):
        if tag == "iframe" and name == "src" and iframe_host(value) not in self.policy.iframe_hosts:
            return None
        if placeholder_problem(name, value):
            return None
        # ammonia checks the schemes of the attributes holding one URL; a srcset holds several.
        if name == "srcset" and any(url_scheme(url) not in ("", "http", "https") for url in srcset_urls(value)):
            return None
        return value

    def clean(self, html):
        """(clean HTML, tuple of Findings) for the fragment `html`; nothing, with a Finding,
        for HTML nested deeper than MAX_DEPTH (ammonia's time grows with the square of it)."""
        depth = nesting_depth(html)
        if depth > MAX_DEPTH:
            return "", (
                Finding(
                    f"nests HTML {depth:,} elements deep (more than {MAX_DEPTH:,})",
                    "remove the runs of opening tags (often pasted by accident)",
                ),
            )
        cleaned = self._cleaner.clean(html)
        kept = self._describer.clean(html)
        if kept == cleaned:
            return cleaned, ()
        return cleaned, describe_removals(kept, self.policy)


MAX_DEPTH = 500
_TAG_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>")
_VOID = frozenset((
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
))  # fmt: skip


def nesting_depth(html):
    """How deep elements nest in `html`, counted from its tags (an upper bound is enough:
    it only has to tell an article from thousands of opening tags)."""
    depth = deepest = 0
    for closing, name, self_closing in _TAG_TOKEN.findall(html):
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


class _RemovalWalker(HTMLParser):
    """Walks well-formed HTML (the describing pass's output) and lists what the policy
    does not allow, once per kind of thing."""

    def __init__(self, policy):
        super().__init__(convert_charrefs=True)
        self.policy = policy
        self.findings = {}

    def _add(self, finding):
        self.findings.setdefault((finding.message, finding.fix), finding)

    def handle_starttag(self, tag, attrs):
        who = self.policy.who
        if tag not in self.policy.tags:
            fix = "remove it: scripts never run on the site" if tag == "script" else "remove it, or link to the page"
            self._add(Finding(f"<{tag}> is not allowed in {who}", fix, (f"<{tag}",)))
            return
        for name, value in attrs:
            value = value or ""
            problem = placeholder_problem(name, value)
            if problem and self.policy.allows_attribute(tag, name):
                self._add(Finding(problem, placeholder_fix(value), (value, name)))
            if name.startswith("on"):
                self._add(Finding(f"{name}= handlers are not allowed in {who}", "remove the attribute", (name,)))
            elif not self.policy.allows_attribute(tag, name):
                self._add(Finding(f"{name}= on <{tag}> is not allowed in {who}", "remove the attribute", (name,)))
            elif name in URL_ATTRIBUTES or name == "srcset":
                schemes = [url_scheme(url) for url in (srcset_urls(value) if name == "srcset" else [value])]
                scheme = next((scheme for scheme in schemes if scheme and scheme not in URL_SCHEMES), "")
                if scheme:
                    self._add(
                        Finding(
                            f"{scheme}: URL in {name} of <{tag}>",
                            "link to a normal https:// address",
                            # Spelt with character references, the scheme is not in the
                            # source as such: then the element, or Markdown's link.
                            (f"{scheme}:", f"<{tag}", "]("),
                        )
                    )
                elif tag == "iframe" and name == "src" and iframe_host(value) not in self.policy.iframe_hosts:
                    host = urlsplit(value.strip()).hostname if _IFRAME_URL.fullmatch(value.strip()) else value.strip()
                    host = host or "nowhere"
                    self._add(
                        Finding(
                            f"iframe from '{host}' is not on the allow-list",
                            "embed only from EDITORIAL_IFRAME_HOSTS over https, or link to the page",
                            ("<iframe",),
                        )
                    )
            elif name == "style" and not _is_alignment_only(value):
                self._add(Finding(f"style '{value}' on <{tag}>", "keep styling to the site's stylesheet", ("style=",)))


def _is_alignment_only(style):
    """True when every declaration of a style attribute is one STYLE_PROPERTIES keeps."""
    declarations = (part.partition(":")[0].strip().lower() for part in style.split(";") if part.strip())
    return all(name in STYLE_PROPERTIES for name in declarations)


def describe_removals(kept_html, policy):
    """The Findings of everything in `kept_html` (well-formed HTML) outside `policy`."""
    walker = _RemovalWalker(policy)
    walker.feed(kept_html)
    walker.close()
    return tuple(walker.findings.values())
