"""Pelican still behaves as the fast path relies on: one contract test per touch point
in plugins/fastbuild/pelican_internals.py, and plain Pelican on any other version.

Each test checks Pelican itself (its private names, the source it restates), so that
upgrading Pelican shows here first which part of fastbuild to re-check.
"""

import io
import logging
import tokenize
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pelican
import pelican.generators
import pytest
from blogcore.scope import pelican_signals_list
from fastbuild import pelican_internals
from fastbuild.pelican_internals import (
    CONTENT_BACK_REFERENCES,
    RESTATED,
    SUPPORTED_PELICAN,
    URLWRAPPER_BACK_REFERENCES,
    content_files,
    fix_url_and_save_as,
    install_process_translations,
    intrasite_link_regex,
    parse_markdown_metadata,
    reader_extensions,
    remember_summary,
    source_digest,
    update_context,
    written_and_overridden,
)
from fastbuild.reader import Converter
from fastbuild.summaries import SummaryRule
from fastbuild.writer import ParallelWriter
from pelican import signals
from pelican.contents import Article, SkipStub
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator
from pelican.readers import MarkdownReader, Readers
from pelican.settings import read_settings
from pelican.utils import SafeDatetime
from pelican.utils import process_translations as pelicans_process_translations
from pelican.writers import FileOverwriteFailedError, Writer
from support import ROOT, build_site, minimal_files, write_site

FASTBUILD = ROOT / "plugins" / "fastbuild"


def pelican_settings(tmp_path, **overrides):
    """Pelican's default settings over a content folder in tmp_path (no plugins of ours)."""
    (tmp_path / "content").mkdir(exist_ok=True)
    return read_settings(override={"PATH": str(tmp_path / "content"), "CACHE_CONTENT": False, **overrides})


def write_files(tmp_path, files):
    """Write {path under tmp_path/content: text}; return the content folder."""
    for name, text in files.items():
        path = tmp_path / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "content"


def generator_of(cls, settings, tmp_path):
    """A Pelican generator with the context Pelican.run gives its generators."""
    context = settings.copy()
    context.update(generated_content={}, static_links=set(), static_content={}, localsiteurl=settings["SITEURL"])
    return cls(
        context=context,
        settings=settings,
        path=settings["PATH"],
        theme=settings["THEME"],
        output_path=str(tmp_path / "output"),
    )


def an_article(settings, source_path, **metadata):
    """A Pelican Article with a title and date, over `settings`."""
    metadata = {"title": "A title", "date": SafeDatetime(2014, 3, 5), **metadata}
    return Article(
        "<p>Some words of a post body.</p>",
        metadata=metadata,
        settings=settings,
        source_path=source_path,
        context={"localsiteurl": "https://blog.example.test"},
    )


def test_the_installed_pelican_is_the_one_checked(monkeypatch):
    assert pelican.__version__ == SUPPORTED_PELICAN
    assert pelican_internals.supported()
    monkeypatch.setattr(pelican, "__version__", "4.13.0")
    assert not pelican_internals.supported()
    assert pelican_internals.unsupported_message() == (
        "fastbuild: Pelican 4.13.0 is not the version its internals were checked against (4.12.0); "
        "building with plain Pelican"
    )


# --- Readers ---


class RecordingMarkdown:
    """Stands in for MarkdownReader's `_md`, noting what _parse_metadata asks of it."""

    def __init__(self):
        self.calls = []
        self.preprocessors = self

    def deregister(self, name, strict=True):
        self.calls.append(("deregister", name))

    def reset(self):
        self.calls.append(("reset",))
        return self

    def convert(self, text):
        self.calls.append(("convert", text))
        return f"<p>{text}</p>"


def test_parse_metadata_converts_formatted_fields_through_md_after_deregistering_meta(tmp_path, caplog):
    reader = MarkdownReader(pelican_settings(tmp_path))
    reader._md = RecordingMarkdown()
    source_path = str(tmp_path / "content" / "parse-metadata-contract.md")  # a warning of its own
    reader._source_path = source_path
    meta = {"title": ["T"], "summary": ["A *line*", "and another"], "slug": ["first", "second"]}
    parsed = reader._parse_metadata(meta)
    assert reader._md.calls == [("deregister", "meta"), ("reset",), ("convert", "A *line*\nand another")]
    assert parsed == {"title": "T", "summary": "<p>A *line*\nand another</p>", "slug": "first"}
    # The duplicate slug is named with the reader's _source_path.
    assert f"Duplicate definition of `slug` for {source_path}. Using first one." in caplog.messages


def test_converted_markdown_parsed_by_pelican_reads_as_markdown_reader_reads(tmp_path):
    text = (
        "Title: A post\nDate: 2014-03-05 09:00\nTags: Salary, Offers\nSummary: A *formatted*\n"
        "    summary [link](https://example.org/).\n\nBody with a footnote.[^1]\n\n[^1]: The note.\n"
    )
    path = str(write_files(tmp_path, {"post.md": text}) / "post.md")
    settings = pelican_settings(tmp_path)
    pelicans = MarkdownReader(settings)  # completes settings["MARKDOWN"], as start_batch relies on
    converter = Converter(settings["MARKDOWN"], settings["FORMATTED_FIELDS"], SummaryRule.from_settings(settings))
    converted = converter.convert(text)
    ours = MarkdownReader(settings)
    assert (converted.html, parse_markdown_metadata(ours, path, converted.meta, converted.formatted)) == pelicans.read(
        path
    )
    assert ours._source_path == path


def test_reader_extensions_are_the_extensions_readers_reads(tmp_path):
    for readers_setting in ({}, {"html": None, "txt": MarkdownReader}):
        settings = pelican_settings(tmp_path, READERS=readers_setting)
        assert set(reader_extensions(settings)) == set(Readers(settings).extensions)


CONTENT_TREE = {
    "posts/a.md": "Title: A\nDate: 2014-01-01\n\nA.\n",
    "posts/deeper/b.md": "Title: B\nDate: 2014-01-02\n\nB.\n",
    "posts/deeper/still/c.markdown": "Title: C\nDate: 2014-01-03\n\nC.\n",
    "posts/d.html": "<html><head><title>D</title></head><body>D</body></html>\n",
    "posts/notes.txt": "not read: no reader for .txt\n",
    "posts/.#e.md": "ignored by IGNORE_FILES\n",
    "posts/drafts/f.md": "Title: F\nDate: 2014-01-04\n\nexcluded\n",
    **{f"posts/many/post-{number}.md": f"Title: {number}\nDate: 2014-02-01\n\nx\n" for number in range(20)},
}


def test_get_files_of_a_stand_in_is_the_generators_set_in_the_order_it_reads(tmp_path):
    write_files(tmp_path, CONTENT_TREE)
    settings = pelican_settings(
        tmp_path, ARTICLE_PATHS=["posts"], ARTICLE_EXCLUDES=["posts/drafts"], IGNORE_FILES=[".#*"]
    )
    generator = generator_of(ArticlesGenerator, settings, tmp_path)
    theirs = generator.get_files(["posts"], exclude=["posts/drafts"])
    ours = content_files(settings, ["posts"], ["posts/drafts"])
    assert isinstance(theirs, set) and ours == theirs and list(ours) == list(theirs)
    assert "posts/d.html" in ours and "posts/notes.txt" not in ours and "posts/.#e.md" not in ours
    # Every candidate file goes through _include_path, the hook the stand-in provides.
    generator._include_path = lambda path, extensions=None: path.endswith("a.md")
    assert generator.get_files(["posts"]) == {"posts/a.md"}
    # The articles generator reads the files in the order its get_files set iterates.
    read = []

    def read_file(base_path, path, **kwargs):
        read.append(path)
        return SkipStub(None, source_path=path)

    generator = generator_of(ArticlesGenerator, settings, tmp_path)
    generator.readers.read_file = read_file
    generator.generate_context()
    assert read == list(ours)


def test_generators_call_the_module_level_process_translations(tmp_path):
    write_files(tmp_path, {"posts/a.md": CONTENT_TREE["posts/a.md"], "pages/about.md": "Title: About\n\nAbout.\n"})
    settings = pelican_settings(tmp_path, ARTICLE_PATHS=["posts"], PAGE_PATHS=["pages"])
    calls = []

    def recording(content_list, translation_id=None):
        calls.append(([content.title for content in content_list], translation_id))
        return pelicans_process_translations(content_list, translation_id)

    replaced = install_process_translations(recording)
    try:
        assert pelican.generators.process_translations is recording
        generator_of(ArticlesGenerator, settings, tmp_path).generate_context()
        generator_of(PagesGenerator, settings, tmp_path).generate_context()
    finally:
        assert install_process_translations(replaced) is recording
    assert pelican.generators.process_translations is replaced
    # Articles: published, hidden and drafts; pages: published, hidden and drafts.
    assert calls == [(["A"], "slug"), ([], "slug"), ([], "slug"), (["About"], "slug"), ([], "slug"), ([], "slug")]


def test_update_context_puts_dicts_as_pairs_and_lists_as_they_are(tmp_path):
    write_files(tmp_path, {"posts/a.md": "Title: A\nDate: 2014-01-01\nTags: one\nCategory: Cat\n\nA.\n"})
    settings = pelican_settings(tmp_path, ARTICLE_PATHS=["posts"])
    generator = generator_of(ArticlesGenerator, settings, tmp_path)
    generator.generate_context()
    # What taxonomy.py relies on: Pelican's own generator leaves its very lists in the context.
    assert generator.context["categories"] is generator.categories
    assert generator.context["authors"] is generator.authors
    assert ArticlesGenerator._update_context is Generator._update_context  # not overridden
    stand_in = SimpleNamespace(tags={"tag": ["post"]}, categories=[("category", ["post"])], context={})
    update_context(stand_in, ("tags", "categories"))
    assert stand_in.context == {"tags": [("tag", ["post"])], "categories": [("category", ["post"])]}
    assert stand_in.context["tags"][0][1] is stand_in.tags["tag"]
    assert stand_in.context["categories"] is stand_in.categories


# --- Content ---


def test_intrasite_link_regex_finds_pelicans_link_syntax(tmp_path):
    article = an_article(pelican_settings(tmp_path), str(tmp_path / "content" / "regex.md"))
    pattern = intrasite_link_regex(article)
    for linked in ('<a href="{filename}other.md">', "<img src='{static}/a.png'>", '<a href="|filename|x.md">'):
        assert pattern.search(linked), linked
    assert pattern.search('<a href="https://example.org/">') is None
    assert pattern.search("{filename} in plain text") is None


def test_get_summary_answers_from_a_dict_cache_keyed_by_content_and_siteurl(tmp_path):
    settings = pelican_settings(tmp_path)
    article = an_article(settings, str(tmp_path / "content" / "summarised.md"))
    cache = article.get_summary.cache
    assert isinstance(cache, dict) and cache is an_article(settings, "other.md").get_summary.cache
    computed = article.summary
    assert cache[(article, article.get_siteurl())] == computed == "<p>Some words of a post body.</p>"
    another = an_article(settings, str(tmp_path / "content" / "remembered.md"))
    remember_summary(another, "<p>Cut by a worker.</p>")
    assert cache[(another, "https://blog.example.test")] == "<p>Cut by a worker.</p>"
    assert another.summary == "<p>Cut by a worker.</p>"


def test_url_and_save_as_answer_the_override_attributes(tmp_path):
    settings = pelican_settings(tmp_path)
    chosen = an_article(settings, "chosen.md", url="chosen/", save_as="chosen/index.html")
    assert (chosen.override_url, chosen.override_save_as) == ("chosen/", "chosen/index.html")
    assert (chosen.url, chosen.save_as) == ("chosen/", "chosen/index.html")
    fix_url_and_save_as(chosen)
    assert (chosen.url, chosen.save_as) == ("chosen/", "chosen/index.html")  # left alone
    article = an_article(settings, "computed.md", slug="computed")
    assert not hasattr(article, "override_url") and not hasattr(article, "override_save_as")
    assert (article.url, article.save_as) == ("computed.html", "computed.html")
    fix_url_and_save_as(article)
    article.slug = "changed"  # no longer asked: the URL and file are the ones computed
    assert (article.url, article.save_as) == ("computed.html", "computed.html")


def test_content_and_urlwrappers_keep_the_sites_settings_and_context_in_the_named_attributes(tmp_path):
    # fingerprint.py leaves exactly these out of a page's digest: they must hold the
    # site-wide objects and nothing of the object's own.
    from pelican.urlwrappers import Tag

    settings = pelican_settings(tmp_path)
    context = {"localsiteurl": "https://blog.example.test"}
    metadata = {"title": "T", "date": SafeDatetime(2014, 3, 5)}
    article = Article("<p>Body.</p>", metadata=metadata, settings=settings, source_path="a.md", context=context)
    assert {"settings", "_context"} == CONTENT_BACK_REFERENCES
    assert article.settings is settings and article._context is context
    tag = Tag("Recruiters", settings)
    assert {"settings"} == URLWRAPPER_BACK_REFERENCES
    assert tag.settings is settings
    assert {name for name, value in vars(tag).items() if value is settings} == {"settings"}


# --- Writer ---


def test_writer_notes_written_and_overridden_files_in_sets_write_file_fills(tmp_path):
    settings = pelican_settings(tmp_path)
    writer = Writer(str(tmp_path), settings=settings)
    written, overridden = written_and_overridden(writer)
    assert (written, overridden) == (set(), set())
    template = jinja2.Template("{{ output_file }}")
    writer.write_file("a.html", template, {})
    writer.write_file("b.html", template, {}, override_output=True)
    assert written == {str(tmp_path / "a.html"), str(tmp_path / "b.html")}
    assert overridden == {str(tmp_path / "b.html")}
    assert written_and_overridden(writer) == (writer._written_files, writer._overridden_files)
    with pytest.raises(FileOverwriteFailedError):
        writer.write_file("a.html", template, {})
    writer.write_file("b.html", jinja2.Template("skipped"), {})  # an overridden file is kept
    assert (tmp_path / "b.html").read_text(encoding="utf-8") == "b.html"


# --- Restated Pelican code ---


@pytest.mark.parametrize("restatement", RESTATED, ids=lambda restatement: restatement.pelican)
def test_restated_pelican_code_is_unchanged(restatement):
    digest = source_digest(restatement.pelican)
    assert digest == restatement.digest, (
        f"{restatement.pelican} is not the code of Pelican {SUPPORTED_PELICAN} that {restatement.ours} "
        f"restates: re-check the restatement against it, then record its new digest {digest!r} "
        "in fastbuild/pelican_internals.py"
    )


# Pelican's names (private, or an undocumented convention) that only pelican_internals may use.
PELICANS_PRIVATE_NAMES = {
    "_parse_metadata",
    "_md",
    "_source_path",
    "_include_path",
    "_get_intrasite_link_regex",
    "get_summary",
    "_written_files",
    "_overridden_files",
    "_open_w",
    "_update_context",
    "override_url",
    "override_save_as",
}


def name_tokens(path):
    """Every name token of a Python file, with whether it follows a dot (an attribute);
    comments and strings hold no names."""
    tokens = list(tokenize.generate_tokens(io.StringIO(Path(path).read_text(encoding="utf-8")).readline))
    return [
        (token.string, tokens[index - 1].string == ".")
        for index, token in enumerate(tokens)
        if token.type == tokenize.NAME
    ]


def test_no_other_fastbuild_module_reaches_into_pelican():
    for path in sorted(FASTBUILD.glob("*.py")):
        if path.name == "pelican_internals.py":
            continue
        names = name_tokens(path)
        assert {name for name, _ in names} & PELICANS_PRIVATE_NAMES == set(), path.name
        # pelican.generators.process_translations is replaced through pelican_internals only.
        assert ("process_translations", True) not in names, path.name


# --- Any other Pelican: plain Pelican ---


def files_of(output):
    """{relative path: bytes} of every file under `output`."""
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in output.rglob("*") if path.is_file()}


def test_on_another_pelican_fastbuild_warns_and_the_build_is_plain_pelican(tmp_path, monkeypatch, caplog):
    content = write_site(tmp_path / "site", minimal_files())
    seen = []

    def during_the_build(instance):
        """finalized: what this build ran with."""
        fastbuild_receivers = [
            receiver
            for signal in pelican_signals_list()
            for receiver in signal.receivers_for(instance)
            if getattr(receiver, "__module__", "").startswith("fastbuild")
        ]
        seen.append((type(instance._get_writer()), bool(fastbuild_receivers), pelican.generators.process_translations))

    signals.finalized.connect(during_the_build)
    try:
        build_site(content, tmp_path / "fast")
        monkeypatch.setattr(pelican, "__version__", "4.99.0")
        with caplog.at_level(logging.WARNING):
            instance = build_site(content, tmp_path / "plain")
    finally:
        signals.finalized.disconnect(during_the_build)
    assert "fastbuild" in instance.settings["PLUGINS"]
    warnings = [record.getMessage() for record in caplog.records if record.name == "fastbuild"]
    assert warnings == [
        "fastbuild: Pelican 4.99.0 is not the version its internals were checked against (4.12.0); "
        "building with plain Pelican"
    ]
    fast, plain = seen
    assert fast[:2] == (ParallelWriter, True) and fast[2] is not pelicans_process_translations
    assert plain == (Writer, False, pelicans_process_translations)
    assert files_of(tmp_path / "plain") == files_of(tmp_path / "fast")
