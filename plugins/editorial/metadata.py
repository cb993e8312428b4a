"""Normalise a post's metadata before Pelican builds the Article: authors, tags, partner,
series and featured image become the objects templates and feeds display."""

from dataclasses import dataclass

from blogcore.images import parse_focus
from blogcore.source import split_list
from pelican.urlwrappers import Author, Category, Tag

from .tagspelling import tag_key


@dataclass(frozen=True)
class FeaturedImage:
    """A post's featured image and its credit."""

    path: str  # relative to the output root, e.g. images/foo.svg
    alt: str
    credit: str
    credit_url: str
    # Where the social card's crop centres, as fractions of the width and height (the
    # editor's `Image_focus: 30%, 40%`); None for the centre.
    focus: tuple | None = None


def profile_author(profile, settings):
    """Return a Pelican Author for `profile`, slugged by the profile id, carrying the profile."""
    author = Author(profile.name, settings)
    author.slug = profile.id
    author.profile = profile
    return author


def resolve_authors(names, catalog, settings):
    """Map the Authors tokens (ids or names) to profile-backed Authors, in order, once each."""
    authors, seen = [], set()
    for name in names:
        profile = catalog.find_author(name)
        if profile is not None and profile.id not in seen:
            seen.add(profile.id)
            authors.append(profile_author(profile, settings))
    return authors


def established_tags(tags, spellings, settings):
    """`tags` with each one in the site's established spelling (`spellings`, by
    tagspelling.tag_key); a tag already spelt so is kept as it is (fastbuild's reader
    shares one Tag object per name)."""
    named = []
    for tag in tags:
        name = spellings.get(tag_key(tag.name), tag.name)
        named.append(tag if name == tag.name else Tag(name, settings))
    return named


def unique_tags(tags):
    """Drop tags repeated (differing only in case, spaces or hyphens), keeping the first
    spelling and the order."""
    kept, seen = [], set()
    for tag in tags:
        key = tag_key(tag.name)
        if key not in seen:
            seen.add(key)
            kept.append(tag)
    return kept


def normalise_post_metadata(metadata, catalog, settings, tag_spellings=None):
    """Rewrite `metadata` in place; it has passed the audit, so every reference resolves.
    `tag_spellings` (SiteAudit.tag_spellings) gives each tag the site's spelling."""
    if "authors" in metadata:
        names = [author.name for author in metadata["authors"]]
        metadata["authors"] = resolve_authors(names, catalog, settings)
        if metadata["authors"]:
            metadata["author"] = metadata["authors"][0]
    category = metadata.get("category")
    if category is not None:
        canonical = {name.casefold(): name for name in settings["EDITORIAL_CATEGORIES"]}
        metadata["category"] = Category(canonical.get(category.name.casefold(), category.name), settings)
    if "tags" in metadata:
        metadata["tags"] = unique_tags(established_tags(metadata["tags"], tag_spellings or {}, settings))
    partner = metadata.get("partner")
    metadata["partner"] = catalog.find_partner(partner) if isinstance(partner, str) else None
    series = metadata.get("series")
    if isinstance(series, str):
        metadata["series"] = catalog.find_series(series)
        metadata["series_index"] = int(metadata.get("series_index", "0"))
    image = metadata.get("image")
    if isinstance(image, str):
        metadata["image"] = FeaturedImage(
            path=image.strip().lstrip("/"),
            alt=metadata.get("image_alt", "").strip(),
            credit=metadata.get("image_credit", "").strip(),
            credit_url=metadata.get("image_credit_url", "").strip(),
            focus=parse_focus(metadata.get("image_focus", "")),
        )
    metadata["syndicate"] = str(metadata.get("syndicate", "yes")).strip().casefold() != "no"
    metadata["aliases"] = [alias.strip() for alias in split_list(metadata.get("aliases", "")) if alias.strip()]
