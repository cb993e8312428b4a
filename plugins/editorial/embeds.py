"""Raw HTML in post bodies: what a guest may not embed, and which iframes staff may embed.

Guest posts (those with a Partner) come from outside the editorial team, so their
Markdown may not carry active content. Staff may embed iframes from allow-listed hosts
(EDITORIAL_IFRAME_HOSTS). Scripts and javascript: URLs are refused for everyone: the
site's Content-Security-Policy would block them anyway, silently.
"""

import html
import re
from urllib.parse import urlsplit

from .problems import Problem

GUEST_FORBIDDEN_TAGS = ("script", "iframe", "object", "embed", "form")
_TAG = re.compile(r"<\s*(script|iframe|object|embed|form)\b([^>]*)", re.IGNORECASE)
_EVENT_HANDLER = re.compile(r"<[a-z][^>]*?\s(on[a-z]+)\s*=", re.IGNORECASE)
# "javascript:" in any letter case, with whitespace or control characters anywhere in it:
# browsers drop tabs and newlines inside a URL's scheme. Matching the gaps in the pattern,
# rather than deleting every space from the text first, keeps this one pass over a post.
_GAP = r"[\s\x00-\x1f]*"
_JAVASCRIPT_URL = re.compile(_GAP.join([*(f"[{letter}{letter.upper()}]" for letter in "javascript"), ":"]))


def mentions_javascript_url(text):
    """True when `text` holds a javascript: URL, however its letters are spelt.

    Browsers decode character references (&#74;, &#x09;) before reading a URL, so they
    are decoded first (html.unescape returns text without '&' unchanged).
    """
    return bool(_JAVASCRIPT_URL.search(html.unescape(text)))


_SRC = re.compile(r"""\ssrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"`[^`]*`")


def body_lines(source):
    """Yield (line number, text) of body lines outside fenced code and code spans."""
    in_fence = False
    for offset, line in enumerate(source.body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence and not line.startswith("    "):
            yield source.body_line + offset, _CODE_SPAN.sub("", line)


def check_embedded_html(source, is_guest, iframe_hosts):
    """Report active content in a post body, line by line."""
    # One pass over the whole body first: almost every post has nothing to report.
    body = source.body
    if not (_TAG.search(body) or _EVENT_HANDLER.search(body) or mentions_javascript_url(body)):
        return
    path = str(source.path)
    allowed_hosts = {host.lower() for host in iframe_hosts}
    for line_number, line in body_lines(source):
        for match in _TAG.finditer(line):
            tag = match.group(1).lower()
            if is_guest:
                yield Problem(
                    path, line_number, "body", f"guest posts may not contain <{tag}>", "remove it, or link to the page"
                )
            elif tag == "script":
                yield Problem(
                    path, line_number, "body", "<script> in a post", "remove it: the site's security policy blocks it"
                )
            elif tag == "iframe":
                src = _SRC.search(match.group(2))
                host = (urlsplit(src.group(1)).hostname or "") if src else ""
                if host.lower() not in allowed_hosts:
                    yield Problem(
                        path,
                        line_number,
                        "body",
                        f"iframe from '{host or 'nowhere'}' is not on the allow-list",
                        "embed only from EDITORIAL_IFRAME_HOSTS, or link to the page",
                    )
        if is_guest:
            for match in _EVENT_HANDLER.finditer(line):
                yield Problem(
                    path,
                    line_number,
                    "body",
                    f"guest posts may not contain {match.group(1).lower()}= handlers",
                    "remove the attribute",
                )
        if mentions_javascript_url(line):
            yield Problem(path, line_number, "body", "javascript: URL", "link to a normal https:// address")
