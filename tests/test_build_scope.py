"""Every build leaves the process as it found it: a build without a plugin finds no trace
of the plugins an earlier build in the same process loaded (plugins/blogcore/scope.py)."""

import pelican.generators
from blogcore.scope import build_scope, pelican_signals_list
from fastbuild.writer import ParallelWriter
from pelican.utils import process_translations as pelicans_own_process_translations
from support import ROOT, build_site, minimal_files, overrides_for, write_site

from tools.build import build
from tools.progress import BuildReport

ROOT_PLUGINS = ["editorial", "redirects", "security_headers", "sitemap_xml"]  # no syndication


def receivers():
    """{signal name: receiver ids} of every Pelican signal."""
    return {signal.name: set(signal.receivers) for signal in pelican_signals_list()}


def test_a_build_without_a_plugin_has_no_trace_of_an_earlier_one(tmp_path):
    content = write_site(tmp_path, minimal_files())
    before = receivers()
    build_site(content, tmp_path / "with")  # every plugin, fastbuild added by tools.build
    assert receivers() == before
    assert pelican.generators.process_translations is pelicans_own_process_translations

    pelican_instance = build_site(content, tmp_path / "without", PLUGINS=ROOT_PLUGINS)
    # The first build wrote feeds (syndication) and rendered in workers (fastbuild).
    assert list((tmp_path / "with" / "feeds").rglob("*.xml"))
    assert not (tmp_path / "without" / "feeds").exists()
    assert not (tmp_path / "without" / "syndication").exists()
    assert not isinstance(pelican_instance._get_writer(), ParallelWriter)
    assert receivers() == before


def test_the_scope_disconnects_what_the_body_connected_and_restores_replaced_names():
    signal = pelican_signals_list()[0]
    original = pelican.generators.process_translations

    def receiver(sender):
        """Stands for a plugin's receiver."""

    with build_scope():
        signal.connect(receiver)
        pelican.generators.process_translations = receiver
        assert id(receiver) in signal.receivers
    assert id(receiver) not in signal.receivers
    assert pelican.generators.process_translations is original


def test_receivers_connected_before_the_build_stay(tmp_path):
    content = write_site(tmp_path, minimal_files())
    signal = pelican_signals_list()[0]

    def kept(sender):
        """Connected before the build: not the build's to remove."""

    signal.connect(kept)
    try:
        build_site(content, tmp_path / "output")
        assert id(kept) in signal.receivers
    finally:
        signal.disconnect(kept)


def test_the_progress_report_of_one_build_does_not_count_the_next(tmp_path):
    content = write_site(tmp_path, minimal_files())
    reports = [BuildReport(live=False), BuildReport(live=False)]
    for number, report in enumerate(reports):
        build(ROOT / "pelicanconf.py", tmp_path / f"output-{number}", overrides_for(content), report)
    # The same site twice: the same counts, not the second build's doubled.
    first, second = (report.summary().split(" in ")[0] for report in reports)
    assert first == second
    assert first.startswith("Built 1 posts") or first.startswith("Built 1 post")
