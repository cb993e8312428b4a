"""schema.org structured data for posts, people, partners and series, as safe JSON-LD text."""

import json

from blogcore.urls import absolute_url
from markupsafe import Markup

# Inside a <script> element the HTML parser looks for "</script" and "<!--" (which can
# keep the real end tag from closing the element): JSON's \u escapes for "<", ">" and
# "&" leave the data the same and give the parser nothing to find.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_json(data):
    """Serialise `data` for a <script type="application/ld+json"> element, with "<",
    ">" and "&" written as JSON escapes so that no text can open a comment or close
    the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    return Markup(text.translate(_SCRIPT_SAFE))


class Deferred:
    """Markup made the first time a template prints it, so a post's structured data is
    worked out by the process that renders its page (in parallel with other pages'),
    and only for pages that are rendered."""

    def __init__(self, make, *args):
        self._make, self._args = make, args
        self._markup = None

    def __html__(self):
        if self._markup is None:
            self._markup = self._make(*self._args)
        return self._markup

    __str__ = __html__


def person(profile, settings):
    """A schema.org Person for an author profile."""
    data = {"@type": "Person", "name": profile.name, "url": absolute_url(settings["SITEURL"], profile.page_url)}
    if profile.role:
        data["jobTitle"] = profile.role
    if profile.links:
        data["sameAs"] = [link.url for link in profile.links]
    if profile.affiliation is not None:
        data["affiliation"] = organization(profile.affiliation)
    return data


def organization(partner):
    """A schema.org Organization for a partner."""
    return {"@type": "Organization", "name": partner.name, "url": partner.url}


def series_work(series, settings):
    """A schema.org CreativeWorkSeries for a series."""
    return {
        "@type": "CreativeWorkSeries",
        "name": series.name,
        "url": absolute_url(settings["SITEURL"], series.page_url),
    }


def blog_posting(article, settings):
    """A schema.org BlogPosting for a post, with every author as a Person."""
    url = absolute_url(settings["SITEURL"], article.url)
    data = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": article.date.isoformat(),
        "dateModified": getattr(article, "modified", article.date).isoformat(),
        "author": [person(author.profile, settings) for author in article.authors],
        "publisher": {"@type": "Organization", "name": settings["SITENAME"], "url": settings["SITEURL"]},
        "articleSection": article.category.name,
        "description": article.meta_description,
        "wordCount": article.word_count,
    }
    if getattr(article, "tags", None):
        data["keywords"] = [tag.name for tag in article.tags]
    if article.image is not None:
        data["image"] = absolute_url(settings["SITEURL"], article.image.path)
    if article.series_position is not None:
        data["isPartOf"] = series_work(article.series_position.series, settings)
        data["position"] = article.series_position.number
    return script_json(data)


def profile_page(profile, settings):
    """JSON-LD for an author's page: a ProfilePage about the Person."""
    return script_json(
        {"@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": person(profile, settings)}
    )


def series_page(series, settings):
    """JSON-LD for a series page: the CreativeWorkSeries and its parts."""
    data = {"@context": "https://schema.org", **series_work(series, settings)}
    data["hasPart"] = [
        {
            "@type": "BlogPosting",
            "headline": part.title,
            "url": absolute_url(settings["SITEURL"], part.url),
            "position": number,
        }
        for number, part in enumerate(series.parts, start=1)
    ]
    return script_json(data)
