"""Normalise a post's metadata before Pelican builds the Article: authors, tags, partner,
series and featured image become the objects templates and feeds display."""

from dataclasses import dataclass

from blogcore.source import split_list
from pelican.urlwrappers import Author, Category


@dataclass(frozen=True)
class FeaturedImage:
    """A post's featured image and its credit."""

    path: str  # relative to the output root, e.g. images/foo.svg
    alt: str
    credit: str
    credit_url: str


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


def unique_tags(tags):
    """Drop tags repeated case-insensitively, keeping the first spelling and the order."""
    kept, seen = [], set()
    for tag in tags:
        key = tag.name.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(tag)
    return kept


def normalise_post_metadata(metadata, catalog, settings):
    """Rewrite `metadata` in place; it has passed the audit, so every reference resolves."""
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
        metadata["tags"] = unique_tags(metadata["tags"])
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
        )
    metadata["syndicate"] = str(metadata.get("syndicate", "yes")).strip().casefold() != "no"
    metadata["aliases"] = [alias.strip() for alias in split_list(metadata.get("aliases", "")) if alias.strip()]
