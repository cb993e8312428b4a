"""Posts' automatic summaries, worked out where their Markdown is converted.

A post without a Summary field is summarised by Pelican (`Content.get_summary`): the first
SUMMARY_MAX_LENGTH words of its HTML, cut by an HTML parser, once per post in the build
process: about 2.5 s at 10,000 posts, in every build. Here the workers that convert the
Markdown also cut the summary, with Pelican's own functions, and the content cache keeps
it; when Pelican creates the post (`content_object_init`), the summary is put in the cache
Pelican's `get_summary` keeps of its answers (`memoized` exposes it), so Pelican returns it
instead of working it out.

The worker cuts the HTML as converted, before Pelican links `{filename}` references,
which changes attribute values only: the words, and so where the text is cut, are the
same. A summary that holds such a reference is left to Pelican, which links it.
"""

from dataclasses import dataclass

from pelican.utils import strip_toc_elements_from_html, truncate_html_paragraphs, truncate_html_words

from .pelican_internals import intrasite_link_regex, remember_summary

# Summaries offered by the reader, waiting for Pelican to create their posts.
_offered = {}


@dataclass(frozen=True)
class SummaryRule:
    """The settings Pelican's get_summary reads."""

    max_length: int | None
    end_suffix: str
    max_paragraphs: int | None

    @classmethod
    def from_settings(cls, settings):
        """The rule of these Pelican settings."""
        return cls(
            settings["SUMMARY_MAX_LENGTH"], settings["SUMMARY_END_SUFFIX"], settings.get("SUMMARY_MAX_PARAGRAPHS")
        )

    def summarise(self, html):
        """What Content.get_summary gives for a post with this HTML and no Summary field
        (a restatement: pelican_internals.RESTATED)."""
        if self.max_paragraphs is not None:
            html = truncate_html_paragraphs(html, self.max_paragraphs)
        if self.max_length is not None:
            html = truncate_html_words(html, self.max_length, self.end_suffix)
        return strip_toc_elements_from_html(html)


def offer(source_path, summary):
    """Keep `summary` for the post Pelican is about to create from `source_path`."""
    _offered[source_path] = summary


def forget():
    """Drop what was offered and not taken (a post Pelican did not create)."""
    _offered.clear()


def use_offered_summary(content):
    """content_object_init: give `content` its summary, unless it has its own or the
    summary holds a reference that Pelican must link."""
    summary = _offered.pop(content.source_path, None)
    if summary is None or "summary" in content.metadata:
        return
    if intrasite_link_regex(content).search(summary):
        return
    remember_summary(content, summary)
