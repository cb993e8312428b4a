"""docs/editing.md shows every message `make check` can print, each as a real output line.

The message templates are read from the code (every Problem the editorial and
redirects plugins can report), so a new message without an example fails here.
A second test makes a site full of mistakes and checks that the lines the real
audit prints appear, word for word, in the guide.
"""

import ast
import re
import shutil

import pytest
from editorial.audit import audit_site
from support import ROOT, write_site

from tools.build import check, load_settings

GUIDE = ROOT / "docs" / "editing.md"
MESSAGE_SOURCES = [
    *sorted((ROOT / "plugins" / "editorial").glob("*.py")),
    *sorted((ROOT / "plugins" / "redirects").glob("*.py")),
    *sorted((ROOT / "plugins" / "blogcore").glob("*.py")),
]
# Position of (message, fix) among the arguments of each way the code builds a problem.
PROBLEM_ARGUMENTS = {
    "Problem": (3, 4),
    "_problem": (2, 3),
    "problem": (0, 1),
    "UnreadableSource": (2, None),
    "Finding": (0, 1),  # what the sanitiser removed, reported as a `body:` problem
    "broken": (0, 1),  # a link in a body that leads nowhere (editorial/bodylinks.py)
}


def template_pattern(node):
    """A regex for a string or f-string node: literal text exact, each {value} any text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(re.escape(part.value) if isinstance(part, ast.Constant) else ".+?" for part in node.values)
    return None  # computed elsewhere (a did-you-mean, a reason passed along)


def message_templates():
    """(where, regex) for every problem message in the plugins, with its fix when literal."""
    found = []
    for path in MESSAGE_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name not in PROBLEM_ARGUMENTS:
                continue
            message_at, fix_at = PROBLEM_ARGUMENTS[name]
            if len(node.args) <= message_at:
                continue
            message = template_pattern(node.args[message_at])
            if message is None:
                continue
            fix = template_pattern(node.args[fix_at]) if fix_at is not None and len(node.args) > fix_at else None
            ending = f"; {fix}$" if fix else "(;.*)?$"
            found.append((f"{path.relative_to(ROOT)}:{node.lineno}", f": {message}{ending}"))
    return found


def example_lines():
    """The example output lines of the guide: those starting with error: or warning:."""
    return [
        line for line in GUIDE.read_text(encoding="utf-8").splitlines() if line.startswith(("error: ", "warning: "))
    ]


def test_the_code_has_problem_messages_to_document():
    # Guards the test below against passing because the extraction found nothing.
    assert len(message_templates()) > 50


@pytest.mark.parametrize(("where", "pattern"), message_templates(), ids=lambda value: value)
def test_every_problem_message_has_an_example_in_the_guide(where, pattern):
    assert any(re.search(pattern, line) for line in example_lines()), (
        f"{where}: no example line in docs/editing.md matches {pattern!r}"
    )


def whole_strings(tree):
    """Every string and f-string in `tree`, without the literal pieces inside f-strings."""
    pieces = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr | ast.Constant) and id(node) not in pieces:
            yield node


SETTINGS_SOURCES = [
    ROOT / "plugins" / "blogcore" / "config.py",
    ROOT / "plugins" / "editorial" / "settings.py",
    ROOT / "plugins" / "redirects" / "settings.py",
    ROOT / "plugins" / "fastbuild" / "settings.py",
    ROOT / "plugins" / "syndication" / "settings.py",
]


def settings_message_patterns():
    """A regex per settings message of the editorial, redirects, fastbuild and syndication
    plugins and the shared schema: whole "Setting '...'" lines, and what an option check
    says after "Setting 'NAME': " (OptionError). security_headers' are in deploying.md."""
    patterns = []
    for path in SETTINGS_SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in whole_strings(tree):
            pattern = template_pattern(node)
            if pattern and pattern.startswith("Setting\\ '") and not pattern.startswith("Setting\\ '.+?':\\ .+?"):
                patterns.append(pattern)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "OptionError" and node.args:
                pattern = template_pattern(node.args[0])
                if pattern:
                    patterns.append("Setting\\ '[A-Z_]+':\\ " + pattern)
    return patterns


def test_every_settings_message_has_an_example_in_the_guide():
    guide_lines = GUIDE.read_text(encoding="utf-8").splitlines()
    patterns = settings_message_patterns()
    assert len(patterns) >= 10  # the extraction found the messages
    missing = [pattern for pattern in patterns if not any(re.fullmatch(pattern, line) for line in guide_lines)]
    assert not missing, "no example in docs/editing.md of:\n" + "\n".join(missing)


SEED = """\
Title: When a Recruiter Calls
Id: 2edb842a-b7c8-401a-bcfd-e3d41ed4a766
Date: 2014-02-12 09:00
Slug: when-a-recruiter-calls
Category: Job Interviews
Authors: will-thomson

Take the call.
"""

MISTAKES = {
    "posts/ten-interview-questions.md": """\
Title: Ten Interview Questions
Date: 2014-13-45
Category: Job Interview
Tags: Interviews,, Recruiters, interviews
Authors: Will Thompson
Partner: Bulls Eye
Series: recruiter-calls
Series_index: first
Image_alt: A desk
Image_credit: example.com
Image_credit_url: example.com
Slug: Ten_Questions!
Aliases: 2014/02/old-slug/
Canonical: www.example.org/post
Syndicate: maybe
Status: drafts
Id: 123
Catgory: Networking

Body.
""",
    "posts/modified-early.md": """\
Title: Modified Early
Id: 6f0d3c1e-2a4b-4c5d-8e6f-7a8b9c0d1e2f
Date: 2014-03-05 09:00
Modified: 2014-03-01 09:00
Category: Job Interviews
Authors: will-thomson,
Series_index: 2
Image: images/missing.svg
Save_as: ../../etc/passwd
URL: a b/
Title: Again

Body markup is checked by the trial build: BODY_MISTAKES below.
""",
    "posts/guest-post.md": """\
Title: Guest Post
Id: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
Date: 2014-03-05 09:00
Category: Job Interviews
Authors: will-thomson
Partner: bulls-eye-recruiting
Image: ../secret.svg
Image_alt: x
Save_as: posts/

Hi.
""",
    "posts/why-recruiters-call.md": """\
Title: Why Recruiters Call
Id: 2edb842a-b7c8-401a-bcfd-e3d41ed4a766
Date: 2014-03-05 09:00
Slug: when-a-recruiter-calls
Category: Job Interviews
Authors: will-thomson

Body.
""",
    "posts/notes.txt": "notes\n",
    "partners/acme-hiring.md": """\
Name: Acme Hiring
Url: acme.example
Credit: Thanks to our friends!
Rel: follow
Syndicate: Job Interview, Recipes

Acme.
""",
}


def test_the_lines_make_check_prints_appear_in_the_guide(tmp_path):
    site = tmp_path / "site"
    for folder in ("authors", "partners", "series", "images"):
        shutil.copytree(ROOT / "content" / folder, site / "content" / folder)
    content = write_site(site, {"posts/when-a-recruiter-calls.md": SEED, **MISTAKES})
    audit = audit_site(load_settings(ROOT / "pelicanconf.py", {"PATH": str(content)}))

    assert len(audit.problems) >= 36  # the fixture's mistakes were all found
    assert_in_guide(audit.problems)


BODY_MISTAKES = {
    "posts/staff-post.md": SEED.replace("Title: When a Recruiter Calls", "Title: Staff Post")
    .replace("Id: 2edb842a-b7c8-401a-bcfd-e3d41ed4a766", "Id: 5c4b3a29-1807-4f6e-9d5c-4b3a29180706")
    .replace("Slug: when-a-recruiter-calls", "Slug: staff-post")
    .replace(
        "Take the call.",
        '<script>alert(1)</script>\n\n<iframe src="https://www.youtube.com/embed/x"></iframe>\n\n'
        '<a href="javascript:alert(1)">x</a>\n\n<img src="data:text/html,x" alt="x">',
    ),
    "posts/guest-post.md": """\
Title: Guest Post
Id: 7d6c5b4a-3928-4e1f-a0b9-c8d7e6f5a4b3
Date: 2014-03-05 09:00
Category: Job Interviews
Authors: will-thomson
Partner: bulls-eye-recruiting

<iframe src="https://x.example/"></iframe>
<p onclick="x()">hi</p>
<meta http-equiv="refresh" content="0;url=https://x.example/">
<a href="https://x.example/" target="_blank">x</a>
<div style="position: fixed">y</div>
""",
}


def test_the_lines_the_sanitiser_prints_appear_in_the_guide(tmp_path):
    site = tmp_path / "site"
    for folder in ("authors", "partners", "series", "images"):
        shutil.copytree(ROOT / "content" / folder, site / "content" / folder)
    content = write_site(site, {"posts/when-a-recruiter-calls.md": SEED, **BODY_MISTAKES})
    audit = check(ROOT / "pelicanconf.py", {"PATH": str(content)})
    assert len(audit.problems) == 9  # every removal of both posts
    assert_in_guide(audit.problems)


def assert_in_guide(problems):
    """Every problem's line, from its field on, is an example line of the guide."""
    missing = []
    for problem in problems:
        # From the field on: the file and line of a made-up example differ from the fixture's.
        text = f": {problem.field}: {problem.message}" + (f"; {problem.fix}" if problem.fix else "")
        if not any(line.startswith(f"{problem.severity}: ") and line.endswith(text) for line in example_lines()):
            missing.append(f"{problem.severity}: {problem}")
    assert not missing, "lines make check prints that docs/editing.md does not show:\n" + "\n".join(missing)
