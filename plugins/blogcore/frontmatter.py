"""YAML front matter: a header between `---` lines, as Jekyll, Hugo and Astro write it,
read into the same fields as Pelican's `Key: value` lines.

Two readers must agree on it: the audit (source.py), which checks the fields with their
lines, and Python-Markdown's meta extension, which gives Pelican its metadata and reads
only `Key: value` lines. So both use `read_front_matter`: the audit takes its fields, and
markdown_guard rewrites the YAML into `Key: value` lines (`as_key_value_lines`) before the
meta extension reads them.

Values are taken as written, never converted by YAML: PyYAML only composes the document
into nodes (which carry their line), so `Date: 2014-03-05` stays that text, `Syndicate: no`
stays "no" and quotes are removed. A list becomes its items joined with ", ", as a
`Tags:` line writes them; a value on several lines becomes one line.
"""

import re
from dataclasses import dataclass, field

import yaml

from .problems import Problem

# As Python-Markdown's meta extension opens and closes a header.
FENCE_START = re.compile(r"^-{3}(\s.*)?$")
FENCE_END = re.compile(r"^(-{3}|\.{3})(\s.*)?$")
# The field names the meta extension reads.
FIELD_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
HEADER = "front matter"  # the field named by a problem of the header as a whole
FIRST_LINE = 2  # the file line of the YAML text's first line (the fence is line 1)
_NULL = "tag:yaml.org,2002:null"


@dataclass
class FrontMatter:
    """The fields of a YAML header: (key, value, line) in the order written."""

    fields: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    body_index: int | None = None  # index of the first body line; None: never closed


def opens_front_matter(lines):
    """True when `lines` (a file's lines) start with a `---` fence."""
    return bool(lines) and bool(FENCE_START.match(lines[0]))


def _closing(lines):
    for index in range(1, len(lines)):
        if FENCE_END.match(lines[index]):
            return index
    return None


def _one_line(text):
    # A block scalar (`|`, `>`) or quoted text over several lines: one header value.
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def _scalar(node):
    return "" if node.tag == _NULL else _one_line(node.value)


def read_front_matter(path, lines):
    """The FrontMatter of `lines`, the lines of the file at `path`, which open with `---`."""
    front = FrontMatter()
    end = _closing(lines)
    if end is None:
        front.problems.append(
            Problem(
                str(path),
                1,
                HEADER,
                "opens with '---' but no '---' line closes it",
                "end the header with a line of three hyphens, ---",
            )
        )
        return front
    front.body_index = end + 1
    try:
        document = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = min(mark.line + FIRST_LINE, end) if mark else 1  # at most the last header line
        front.problems.append(
            Problem(
                str(path),
                line,
                HEADER,
                f"is not valid YAML ({error.problem})",
                "write 'field: value', and put a value holding ': ' or ' #' in double quotes",
            )
        )
        return front
    except (yaml.YAMLError, RecursionError):
        front.problems.append(Problem(str(path), 1, HEADER, "is not valid YAML", "write one 'field: value' per line"))
        return front
    if document is None:
        return front  # an empty header: the rules report the missing fields
    if not isinstance(document, yaml.MappingNode):
        front.problems.append(
            Problem(
                str(path),
                document.start_mark.line + FIRST_LINE,
                HEADER,
                "is not 'field: value' lines",
                "write one 'field: value' per line between the '---' lines",
            )
        )
        return front
    for key_node, value_node in document.value:
        line = key_node.start_mark.line + FIRST_LINE
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        if not FIELD_NAME.match(key):
            front.problems.append(
                Problem(
                    str(path),
                    line,
                    HEADER,
                    f"'{_one_line(str(key))[:40]}' is not a field name",
                    "use letters, digits, '_' and '-', e.g. Image_alt",
                )
            )
            continue
        value = _value(path, key, value_node, line, front.problems)
        if value is not None:
            front.fields.append((key, value, line))
    return front


def _value(path, key, node, line, problems):
    """The header value of `node`, or None (the reason added to `problems`)."""
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.MappingNode):
        problems.append(
            Problem(
                str(path),
                line,
                key,
                "holds indented 'name: value' lines (a YAML mapping), which no field takes",
                "write the value on the field's line, or a list of '- item' lines",
            )
        )
        return None
    items = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode):
            problems.append(
                Problem(
                    str(path),
                    item.start_mark.line + FIRST_LINE,
                    key,
                    "holds a list inside a list",
                    "write each item as a plain '- item' line",
                )
            )
            return None
        text = _scalar(item)
        if "," in text or ";" in text:
            problems.append(
                Problem(
                    str(path),
                    item.start_mark.line + FIRST_LINE,
                    key,
                    f"list item '{text}' holds a ',' or ';', which separate items",
                    "make it two items, or leave the punctuation out",
                )
            )
            return None
        items.append(text)
    return ", ".join(items)


def readable(front):
    """True when `front` gives the header's fields; otherwise (never closed, or not YAML
    at all) the lines stay as they are and are read as `Key: value` lines, which is what
    the meta extension makes of them."""
    return front.body_index is not None and (bool(front.fields) or not front.problems)


def as_key_value_lines(lines):
    """`lines` with a YAML header rewritten as `Key: value` lines and a blank line, the form
    Python-Markdown's meta extension reads; `lines` as they are when there is no readable
    YAML header (the audit reports why)."""
    if not opens_front_matter(lines):
        return lines
    front = read_front_matter("", lines)
    if not readable(front):
        return lines
    return [f"{key}: {value}" for key, value, _ in front.fields] + [""] + lines[front.body_index :]
