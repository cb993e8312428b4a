"""Static files: what the content folders (STATIC_PATHS) may publish, and SVGs that hold no code.

Static files are copied into the site as they are, and a reader's browser opens one at
the site's own address: an `.html` or `.js` file under content/images/, or an SVG with a
script, runs with the site's origin (and on GitHub Pages with no Content-Security-Policy
header). So only the types in EDITORIAL_STATIC_TYPES are published, and every SVG is
parsed (never fetching or expanding anything) and refused if it holds code or loads
anything from outside itself.
"""

import os
import re

from blogcore.problems import Problem
from lxml import etree

SVG_FIX = "remove it, or export the image again as plain SVG"
ENTITY_MESSAGE = "SVG declares an entity (<!ENTITY>)"
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
# Elements that run code or embed other documents. A browser runs an SVG <script> (and an
# XHTML one) when the SVG is opened as a page; `handler` and `listener` are SVG Tiny's.
UNSAFE_ELEMENTS = frozenset(("script", "foreignobject", "handler", "listener", "iframe", "embed", "object"))
# Animation elements can set an attribute to any value over time: `<set attributeName="href"
# to="javascript:...">` makes a link no attribute check would see.
ANIMATION_ELEMENTS = frozenset(("set", "animate", "animatemotion", "animatetransform", "animatecolor"))
# Attributes holding an address; only a same-document reference ("#id") may stay.
URL_ATTRIBUTES = frozenset(("href", "src"))
# Presentation attributes that are CSS properties taking url() (fill="url(#gradient)").
CSS_ATTRIBUTES = frozenset(
    (
        "style",
        "fill",
        "stroke",
        "clip-path",
        "mask",
        "filter",
        "cursor",
        "marker",
        "marker-start",
        "marker-mid",
        "marker-end",
    )
)
_POSITION = re.compile(r", line \d+, column \d+$")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.DOTALL)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
# Ways CSS loads another resource without url(): `@import "x.css"`, `image-set("x.png" 1x)`.
_CSS_LOADERS = re.compile(r"@import|\bimage-set\(|(?<![\w-])(?:image|src)\(", re.IGNORECASE)


def _problem(path, line, message, fix=SVG_FIX):
    return Problem(str(path), line, "file", message, fix)


def check_static_files(paths, allowed_types):
    """Yield a Problem for each file in `paths` of a type outside `allowed_types` (lower-case
    extensions such as ".png"), and for each problem of every SVG among them."""
    allowed = {extension.lower() for extension in allowed_types}
    listed = ", ".join(sorted(allowed))
    for path in paths:
        suffix = os.path.splitext(path)[1].lower()
        if suffix not in allowed:
            yield from _type_problem(path, suffix, listed)
        elif suffix == ".svg":
            yield from check_svg_file(path)


def _type_problem(path, suffix, listed):
    if not suffix:
        yield _problem(path, None, "a file without an extension is not published", f"remove it, or save it as {listed}")
    else:
        yield _problem(path, None, f"'{suffix}' files are not published", f"remove it, or save it as {listed}")


def check_svg_file(path):
    """Yield every Problem of the SVG file at `path` (one per distinct finding)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        yield _problem(path, None, f"cannot be read ({error.strerror})", "check the file's permissions")
        return
    seen = set()
    for line, message in svg_findings(data):
        if message not in seen:
            seen.add(message)
            yield _problem(path, line, message)


def _parser():
    # Nothing in the file may make the parser read another file or the network, or expand
    # entities (an entity bomb grows a few bytes into gigabytes).
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
    )


def svg_findings(data):
    """Yield (line or None, message) for each thing in the SVG bytes `data` that could run
    code or load something from outside the image."""
    if b"<!ENTITY" in data:
        # No image needs one, and an entity bomb is refused before any parser sees it.
        yield None, ENTITY_MESSAGE
        return
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        # The line is in the location already; libxml2 repeats it (and a column) at the end.
        reason = _POSITION.sub("", error.msg)
        yield error.lineno, f"SVG cannot be parsed ({reason})"
        return
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        # Never expanded here, but a browser opening the file might (and bombs start so).
        yield None, ENTITY_MESSAGE
    if _local(root.tag) != "svg":
        yield root.sourceline, f"is not an SVG image (it starts with <{_local(root.tag)}>)"
    siblings = [*root.itersiblings(preceding=True), *root.itersiblings()]
    for node in [*siblings, *root.iter()]:
        yield from _node_findings(node)


def _node_findings(node):
    if node.tag is etree.ProcessingInstruction:
        # <?xml-stylesheet href="..."?> loads a style sheet when the SVG is opened as a page.
        yield node.sourceline, f"SVG holds a processing instruction (<?{node.target}?>)"
        return
    if not isinstance(node.tag, str):
        return  # a comment or an entity reference: neither runs nor loads anything
    name = _local(node.tag).lower()
    if name in UNSAFE_ELEMENTS:
        yield node.sourceline, f"SVG holds <{_local(node.tag)}>"
    elif etree.QName(node).namespace == XHTML_NAMESPACE:
        yield node.sourceline, f"SVG holds the HTML element <{_local(node.tag)}>"
    if name in ANIMATION_ELEMENTS:
        target = node.get("attributeName", "").split(":")[-1].strip().lower()
        if target in URL_ATTRIBUTES or target.startswith("on"):
            yield node.sourceline, f'SVG animates an address or handler (attributeName="{target}" on <{name}>)'
        # The values it sets are CSS for presentation attributes: to="url(https://...)" loads.
        for attribute in ("to", "from", "by", "values"):
            if node.get(attribute):
                yield from _css_findings(node.sourceline, node.get(attribute), f"{attribute} on <{name}>")
    if name == "style":
        # itertext: CSS may continue after a comment or CDATA section inside the element.
        yield from _css_findings(node.sourceline, "".join(node.itertext()), f"<{name}>")
    for attribute, value in node.attrib.items():
        yield from _attribute_findings(node, _local(attribute), value)


def _attribute_findings(node, attribute, value):
    element = _local(node.tag)
    if attribute.lower().startswith("on"):
        yield node.sourceline, f"SVG holds an event handler ({attribute} on <{element}>)"
    elif attribute.lower() in URL_ATTRIBUTES and not value.strip().startswith("#"):
        yield node.sourceline, f'SVG refers outside itself ({attribute}="{_short(value)}" on <{element}>)'
    elif attribute.lower() in CSS_ATTRIBUTES:
        yield from _css_findings(node.sourceline, value, f"{attribute} on <{element}>")


def _css_findings(line, text, where):
    # Escapes first (u\72l( is url( to a browser), comments out (u/**/rl( is not url().
    css = _CSS_COMMENT.sub("", _unescape_css(text))
    for match in _CSS_URL.finditer(css):
        if not match.group(2).strip().startswith("#"):
            yield line, f"SVG style loads url({_short(match.group(2))}) ({where})"
    for match in _CSS_LOADERS.finditer(css):
        yield line, f"SVG style loads another file ({match.group(0)} in {where})"


def _unescape_css(text):
    def replace(match):
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
        return match.group(2)

    return _CSS_ESCAPE.sub(replace, text)


def _local(tag):
    return tag.rpartition("}")[2] if isinstance(tag, str) else str(tag)


def _short(value, limit=60):
    """`value` on one line and cut to `limit` characters, for a message."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 3] + "..."
