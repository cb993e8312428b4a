"""Make a post's HTML fit for a feed: every URL absolute, nothing that can run or frame.

Feed content ends up inside partner blogs' pages, so it is sanitised against an allow
list rather than a deny list. The lists are those of the W3C Feed Validation Service
(feedvalidator `HTMLValidator`): anything it would flag as a security risk is removed,
so valid content passes with zero warnings. Every removal is reported to the caller,
which logs it against the post.
"""

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction
from bs4.dammit import EntitySubstitution
from bs4.element import CData, NavigableString, Tag
from bs4.formatter import HTMLFormatter

# Removed together with everything inside them: their content is code or a frame, never text.
DROPPED_WITH_CONTENT = frozenset((
    "script", "style", "iframe", "frame", "frameset", "noframes", "object", "embed", "applet", "param",
    "meta", "link", "base", "head", "title", "svg", "math",
))  # fmt: skip

# The W3C feed validator's acceptable elements, without forms and their controls (a form
# in a partner's page could ask its readers for a password); anything else is unwrapped
# (text kept).
ALLOWED_ELEMENTS = frozenset((
    "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "bdi", "big", "blockquote",
    "br", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "data",
    "dd", "del", "details", "dfn", "dir", "div", "dl", "dt", "em",
    "figcaption", "figure", "footer", "font", "header", "h1", "h2", "h3",
    "h4", "h5", "h6", "hgroup", "hr", "i", "img", "ins", "kbd", "li",
    "m", "main", "map", "mark", "menu", "meter", "multicol", "nav", "nextid", "ol", "optgroup",
    "p", "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "section", "select",
    "small", "sound", "source", "spacer", "span", "strike", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "template", "time", "tfoot", "th", "thead", "tr", "track", "tt", "u", "ul",
    "var", "video", "noscript", "wbr"
))  # fmt: skip

# The W3C feed validator's acceptable attributes (plus data-*); `style` is checked apart.
ALLOWED_ATTRIBUTES = frozenset((
    "abbr", "accept", "accept-charset", "accesskey", "action", "align", "allow", "allowfullscreen", "alt",
    "as", "autoplay", "autocapitalize", "autocomplete", "autofocus", "axis", "background", "balance",
    "bgcolor", "bgproperties", "border", "bordercolor", "bordercolordark", "bordercolorlight",
    "bottompadding", "cellpadding", "cellspacing", "ch", "challenge", "char", "charoff", "choff", "charset",
    "checked", "cite", "class", "clear", "color", "cols", "colspan", "compact", "contenteditable", "coords",
    "crossorigin", "data", "datafld", "datapagesize", "datasrc", "datetime", "decoding", "default", "delay",
    "dir", "dirname", "disabled", "download", "draggable", "dynsrc", "enctype", "end", "enterkeyhint",
    "face", "for", "form", "formenctype", "frame", "galleryimg", "gutter", "headers", "height", "hidefocus",
    "hidden", "high", "href", "hreflang", "hspace", "icon", "id", "inputmode", "is", "ismap", "itemid",
    "itemprop", "itemref", "itemscope", "itemtype", "kind", "keytype", "label", "lang", "leftspacing",
    "loading", "list", "longdesc", "loop", "loopcount", "loopend", "loopstart", "low", "lowsrc", "max",
    "maxlength", "media", "method", "min", "minlength", "multiple", "muted", "name", "nohref", "nonce",
    "noshade", "nowrap", "open", "optimum", "pattern", "ping", "placeholder", "playsinline", "point-size",
    "poster", "preload", "prompt", "pqg", "radiogroup", "readonly", "referrerpolicy", "rel", "repeat-max",
    "repeat-min", "replace", "required", "rev", "reversed", "rightspacing", "rows", "rowspan", "rules",
    "scope", "selected", "shape", "size", "sizes", "span", "spellcheck", "src", "srclang", "srcset",
    "start", "step", "summary", "suppress", "tabindex", "target", "template", "title", "toppadding",
    "translate", "type", "unselectable", "usemap", "urn", "valign", "value", "variable", "volume", "vspace",
    "vrml", "width", "wrap", "xml:lang", "xmlns"
))  # fmt: skip

# Attributes holding one URL, resolved against the post's permalink.
URL_ATTRIBUTES = frozenset(("href", "src", "poster", "cite", "action", "longdesc", "lowsrc", "dynsrc", "background"))

# CSS a post may keep: what Markdown writes for aligned table columns and simple emphasis.
# Anything else (positioning, url(), expressions) could restyle or cover a partner's page.
ALLOWED_CSS_PROPERTIES = frozenset((
    "text-align", "vertical-align", "font-weight", "font-style", "text-decoration", "white-space", "width",
    "height", "color",
))  # fmt: skip
_CSS_DECLARATION = re.compile(r"^\s*([-a-z]+)\s*:\s*([#a-z0-9\s.%-]+?)\s*$", re.IGNORECASE)

# Browsers ignore whitespace and control characters inside a scheme ("jav&#9;ascript:").
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]+")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:")
_STRINGS_TO_DROP = (Comment, CData, ProcessingInstruction, Declaration, Doctype)
# HTML5 serialisation (<br>, not <br/>) that escapes only &, < and >: characters stay
# UTF-8 rather than turning into named entities.
_FORMATTER = HTMLFormatter(
    entity_substitution=EntitySubstitution.substitute_xml,
    void_element_close_prefix=None,
    empty_attributes_are_booleans=True,
)


@dataclass(frozen=True)
class FeedHtml:
    """Sanitised HTML with absolute URLs, and what was removed to get there."""

    html: str
    removed: tuple


def is_script_url(value, tag_name, attribute):
    """True when a URL would run code: javascript: and friends, or data: outside an image."""
    compact = _IGNORED_IN_SCHEME.sub("", value).lower()
    if compact.startswith(_SCRIPT_SCHEMES):
        return True
    if compact.startswith("data:"):
        is_image_source = tag_name in ("img", "source") and attribute in ("src", "srcset")
        return not (is_image_source and compact.startswith("data:image/"))
    return False


def is_safe_style(value):
    """True when every declaration of a style attribute is harmless presentation."""
    declarations = [part for part in value.split(";") if part.strip()]
    for declaration in declarations:
        match = _CSS_DECLARATION.match(declaration)
        if not match or match.group(1).lower() not in ALLOWED_CSS_PROPERTIES:
            return False
    return True


def split_srcset(value):
    """Split a srcset into (url, descriptor) candidates, as the HTML standard parses it."""
    candidates = []
    position, length = 0, len(value)
    while position < length:
        while position < length and (value[position].isspace() or value[position] == ","):
            position += 1
        start = position
        while position < length and not value[position].isspace():
            position += 1
        url = value[start:position]
        if not url:
            break
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            end = value.find(",", position)
            end = length if end == -1 else end
            descriptor = " ".join(value[position:end].split())
            position = end + 1
        candidates.append((url, descriptor))
    return candidates


def absolute_srcset(value, base_url):
    """Return `value` (a srcset) with every candidate URL resolved against `base_url`."""
    parts = []
    for url, descriptor in split_srcset(value):
        absolute = urljoin(base_url, url)
        parts.append(f"{absolute} {descriptor}" if descriptor else absolute)
    return ", ".join(parts)


def _clean_attributes(tag, base_url, removed):
    for name in list(tag.attrs):
        value = tag.attrs[name]
        lowered = name.lower()
        if lowered.startswith("on"):
            removed.append(f"{name} event handler on <{tag.name}>")
            del tag.attrs[name]
        elif lowered == "style":
            if not is_safe_style(value):
                removed.append(f"style '{value}' on <{tag.name}>")
                del tag.attrs[name]
        elif lowered not in ALLOWED_ATTRIBUTES and not lowered.startswith("data-"):
            removed.append(f"{name} attribute on <{tag.name}>")
            del tag.attrs[name]
        elif lowered in URL_ATTRIBUTES or lowered == "srcset":
            if is_script_url(value, tag.name, lowered):
                removed.append(f"{value.strip()[:40]!r} URL in {name} of <{tag.name}>")
                del tag.attrs[name]
            elif lowered == "srcset":
                tag.attrs[name] = absolute_srcset(value, base_url)
            else:
                tag.attrs[name] = urljoin(base_url, value.strip())


def _clean(node, base_url, removed):
    # Children are copied first: the walk removes and unwraps while it goes, and it never
    # descends into an element it drops, so nothing inside one is reported twice.
    for child in list(node.children):
        if type(child) is NavigableString:
            continue  # plain text, most of the nodes: nothing to check
        if isinstance(child, Tag):
            name = child.name.lower()
            if name in DROPPED_WITH_CONTENT:
                removed.append(f"<{name}> element")
                child.decompose()
                continue
            if child.attrs:
                _clean_attributes(child, base_url, removed)
            _clean(child, base_url, removed)
            if name not in ALLOWED_ELEMENTS:
                removed.append(f"<{name}> tag (its text is kept)")
                child.unwrap()
        elif isinstance(child, _STRINGS_TO_DROP):
            child.extract()  # comments may hold editors' notes; the rest is markup noise


def feed_html(fragment, base_url):
    """Sanitise the HTML `fragment` and resolve its URLs against `base_url` (the permalink).

    In-page anchors (`#details`) become `<permalink>#details`: inside a feed reader or a
    partner's page there is no such anchor, on our page there is.
    """
    # A plain str: the parser slices its input, and every slice of a Markup is a new Markup.
    # multi_valued_attributes=None keeps class and rel as the strings the author wrote.
    soup = BeautifulSoup(str(fragment), "html.parser", multi_valued_attributes=None)
    removed = []
    _clean(soup, base_url, removed)
    return FeedHtml(html=soup.decode(formatter=_FORMATTER), removed=tuple(removed))
