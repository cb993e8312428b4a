"""Read a content file's `Key: value` header exactly as Python-Markdown's meta extension does,
or its YAML front matter (frontmatter.py) as markdown_guard hands it to that extension,
keeping the line of every field so that problems can point at it."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from .frontmatter import opens_front_matter, read_front_matter, readable
from .problems import Problem

# Python-Markdown's meta extension: keys, indented continuation lines, optional YAML fences.
_KEY_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)$")
_CONTINUATION_LINE = re.compile(r"^[ ]{4,}(?P<value>.*)$")
_FENCE_START = re.compile(r"^-{3}(\s.*)?$")
_FENCE_END = re.compile(r"^(-{3}|\.{3})(\s.*)?$")
_CONTROL_CHARACTER = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


class UnreadableSource(Exception):
    """The file cannot be read as UTF-8 text."""

    def __init__(self, path, line, reason):
        self.path, self.line, self.reason = path, line, reason
        super().__init__(f"{path}:{line}: {reason}")


@dataclass
class HeaderField:
    """One `Key: value` entry as written."""

    key: str
    value: str
    line: int


@dataclass
class Source:
    """A content file split into its header fields and Markdown body."""

    path: Path
    fields: dict = field(default_factory=dict)
    repeated: list = field(default_factory=list)
    body: str = ""
    body_line: int = 1
    slug: str | None = None  # worked out once by rules.post_slug
    # Problems only reading the header can find (YAML front matter that does not parse).
    header_problems: list = field(default_factory=list)
    # True when a line of text ended the header (no blank line or '---' before the body).
    open_ended: bool = False

    def get(self, name, default=""):
        """Return the stripped value of field `name` (case-insensitive), or `default`."""
        entry = self.fields.get(name.lower())
        return entry.value.strip() if entry else default

    def line(self, name):
        """Return the line of field `name`, or None when it is absent."""
        entry = self.fields.get(name.lower())
        return entry.line if entry else None

    def has(self, name):
        """True when field `name` is present, even if empty."""
        return name.lower() in self.fields


def parse_source(path, text):
    """Split `text` (the content of `path`) into a `Source`."""
    lines = text.split("\n")
    source = Source(path=Path(path))
    if lines and lines[0].strip() == "+++":
        # Hugo's TOML front matter: read as 'Key: value' lines it would give no field at all.
        source.header_problems = [
            Problem(
                str(path),
                1,
                "front matter",
                "is TOML (between '+++' lines), which this site does not read",
                "write it as YAML between '---' lines (title: ...), or as 'Title: ...' lines",
            )
        ]
    if opens_front_matter(lines):
        front = read_front_matter(path, lines)
        source.header_problems = front.problems
        if readable(front):
            for key, value, line in front.fields:
                _add(source, HeaderField(key, value, line))
            source.body = "\n".join(lines[front.body_index :])
            source.body_line = front.body_index + 1
            return source
    index = 0
    if lines and _FENCE_START.match(lines[0]):
        index = 1
    current = None
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            break
        if index > 0 and _FENCE_END.match(line) and current is not None:
            index += 1
            break
        key_match = _KEY_LINE.match(line)
        if key_match:
            current = HeaderField(key_match["key"], key_match["value"], index + 1)
            _add(source, current)
        elif current is not None and _CONTINUATION_LINE.match(line):
            current.value += " " + _CONTINUATION_LINE.match(line)["value"].strip()
        else:
            source.open_ended = True
            break
        index += 1
    source.body = "\n".join(lines[index:])
    source.body_line = index + 1
    return source


def _add(source, entry):
    name = entry.key.lower()
    if name in source.fields:
        source.repeated.append(entry)
    else:
        source.fields[name] = entry


def read_source(path):
    """Read and parse the file at `path`; raise `UnreadableSource` on bad bytes."""
    return parse_bytes(path, Path(path).read_bytes())


def parse_bytes(path, data):
    """Parse `data`, the bytes of the file at `path`; raise `UnreadableSource` on bad bytes."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnreadableSource(path, line, f"byte {error.start} is not UTF-8; save the file as UTF-8") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise UnreadableSource(path, line, "the file contains a NUL byte; remove it")
    control = _CONTROL_CHARACTER.search(text)
    if control:
        # Valid in neither HTML nor XML: feeds could not carry the post.
        line = text[: control.start()].count("\n") + 1
        code = f"U+{ord(control.group()):04X}"
        raise UnreadableSource(path, line, f"the file contains the control character {code}; remove it")
    # A lone CR ends a line for Python-Markdown and Pelican too: read lines as they do.
    return parse_source(path, text.replace("\r\n", "\n").replace("\r", "\n"))


def split_list(value):
    """Split a Tags/Authors value the way Pelican does: on ';' if present, else ','."""
    separator = ";" if ";" in value else ","
    return [item.strip() for item in value.split(separator)]
