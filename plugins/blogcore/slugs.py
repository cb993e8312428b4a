"""The slug a post or page will have, as Pelican works it out: one rule for every plugin
and tool that needs to know a post's address before Pelican has read it."""

from pelican.utils import slugify


def post_slug(source, settings):
    """The slug Pelican will give this post: Slug, else slugified Title (kept on the source:
    several rules ask, and the audit cache keeps it with the post's header)."""
    if source.slug is None:
        explicit = source.get("Slug")
        source.slug = explicit or slugify(
            source.get("Title"),
            regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
            preserve_case=False,
            use_unicode=False,
        )
    return source.slug
