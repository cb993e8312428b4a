"""The `<img>` tags of a sanitised body, found and replaced by `<picture>`s.

The body is the sanitiser's output (blogcore/sanitise.py): well-formed HTML with every
attribute value in double quotes. Only the exact text of each `<img ...>` start tag is
replaced, by markup built with markupsafe from the values the parser unescaped, so the
rest of the body keeps its bytes and nothing read from it can become markup: the alt
text is escaped again on the way out, and the URLs are the build's own paths.
"""

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

# Pelican's placeholders that name a file under content/.
_FILE_PLACEHOLDERS = ("{static}", "{filename}", "{attach}", "|static|", "|filename|", "|attach|")


@dataclass(frozen=True)
class ImageTag:
    """One `<img>` of a body: where its text is, and its attributes (unescaped)."""

    start: int
    end: int
    attributes: dict

    @property
    def src(self):
        """The src as written (with Pelican's placeholder, if any)."""
        return self.attributes.get("src") or ""


class _Finder(HTMLParser):
    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._line_starts = [0]
        for number, character in enumerate(text):
            if character == "\n":
                self._line_starts.append(number + 1)

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            line, column = self.getpos()
            start = self._line_starts[line - 1] + column
            self.found.append(ImageTag(start, start + len(self.get_starttag_text()), dict(attrs)))

    handle_startendtag = handle_starttag


def image_tags(body):
    """Every `<img>` of `body`, in order."""
    if "<img" not in body:
        return []
    finder = _Finder(body)
    finder.feed(body)
    finder.close()
    return finder.found


def content_path_of(src, source_folder):
    """The path under content/ an image's src names, or None (another site, a data: URL,
    a site path or relative link Pelican does not resolve to a file).

    `source_folder` is the post's folder relative to content/ ('posts')."""
    for placeholder in _FILE_PLACEHOLDERS:
        if src.startswith(placeholder):
            target = unquote(urlsplit(src[len(placeholder) :]).path)
            base = "" if target.startswith("/") else source_folder
            path = posixpath.normpath(posixpath.join(base, target.lstrip("/")))
            return None if path.startswith("../") or path == ".." else path
    if src.startswith("/") and not src.startswith("//"):
        # A site path: a file of content/images/ is published at the same path.
        path = posixpath.normpath(unquote(urlsplit(src).path).lstrip("/"))
        return None if path.startswith("..") else path
    return None


def replace_tags(body, replacements):
    """`body` with each (ImageTag, markup) of `replacements` put in the tag's place."""
    parts, position = [], 0
    for tag, markup in sorted(replacements, key=lambda pair: pair[0].start):
        parts.append(body[position : tag.start])
        parts.append(str(markup))
        position = tag.end
    parts.append(body[position:])
    return "".join(parts)
