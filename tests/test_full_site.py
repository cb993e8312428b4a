"""The whole site, built from a fixture that uses every feature of the content model, is
byte for byte the committed expected output, as Pelican's own test_pelican.py checks its
sample sites.

The fixture, tests/fixtures/full-site/content/, has staff and guest posts, co-authors, a
partner with a logo, a credit line and a rel, a series of three parts with an image, tags
and categories, a featured image with alt text and credit, aliases, a canonical URL,
`Syndicate: no`, a draft, a page, an author with an avatar and one without, a Summary and
an automatic summary, footnotes, a table and {filename} links. It is built with the real
pelicanconf.py (SITEURL https://blog.example.test) through tools.build.build, as
`make html` builds.

When the output changes on purpose, `make expected` rebuilds
tests/fixtures/full-site/expected/; review its diff and commit it with the change.
"""

import re

import pytest
from editorial.rules import AUTHOR_FIELDS, PARTNER_FIELDS, POST_FIELDS, SERIES_FIELDS
from regenerate_expected import CONTENT, EXPECTED, build_full_site, machine_paths
from support import assert_same_folders, folder_differences

# Post fields that only move a staff post's output file: the fixture has no use for them.
NOT_IN_THE_FIXTURE = {"Save_as", "URL", "Template"}


@pytest.fixture(scope="module")
def full_site(tmp_path_factory):
    """The output folder of the fixture site, built once for this module."""
    return build_full_site(tmp_path_factory.mktemp("full-site") / "output")


def test_every_file_is_the_committed_expected_output(full_site):
    if not EXPECTED.is_dir():
        pytest.fail("tests/fixtures/full-site/expected/ is missing: run `make expected`", pytrace=False)
    differences = folder_differences(EXPECTED, full_site)
    if differences:
        pytest.fail(
            "The built site differs from tests/fixtures/full-site/expected/; if the change is intended, "
            f"run `make expected` and review the diff.\n{differences}",
            pytrace=False,
        )


def test_no_file_names_a_path_of_this_machine(full_site):
    assert machine_paths(full_site) == {}


def test_two_builds_are_byte_identical(full_site, tmp_path):
    assert_same_folders(full_site, build_full_site(tmp_path / "again"))


def header_fields(folder):
    """Every header field name used by the Markdown files of `folder`."""
    used = set()
    for path in sorted(folder.glob("*.md")):
        header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
        used.update(match.group(1) for match in re.finditer(r"^([A-Za-z_]+):", header, re.MULTILINE))
    return used


@pytest.mark.parametrize(
    ("folder", "fields"),
    [
        ("posts", set(POST_FIELDS) - NOT_IN_THE_FIXTURE),
        ("authors", set(AUTHOR_FIELDS)),
        ("partners", set(PARTNER_FIELDS)),
        ("series", set(SERIES_FIELDS)),
    ],
)
def test_the_fixture_uses_every_field_of_the_content_model(folder, fields):
    assert fields - header_fields(CONTENT / folder) == set()
