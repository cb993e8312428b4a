"""Each post's and page's URL and file computed once, when nothing can change them any more.

Pelican computes `Content.url` afresh on every access: it copies the post's metadata,
works out its relative source path and formats the date twice. Templates ask for it many
times per page (listings, related posts, neighbours, series parts, bylines): at 10,000
posts a few hundred thousand times, several seconds. Pelican's own `override_url`
attribute (set from a post's `URL:` field) short-circuits the computation; setting it
to the URL Pelican computes, after every plugin has finished with the metadata
(`all_generators_finalized`), gives every page the same URL at a fraction of the cost.
A post whose URL: field already set it is left alone. `save_as` (the file) is computed
the same way and frozen the same way, through `override_save_as`.
"""

from .pelican_internals import fix_url_and_save_as


def freeze_urls(generators):
    """all_generators_finalized: give every post and page its URL and file, computed once."""
    contexts = {id(generator.context): generator.context for generator in generators}
    for context in contexts.values():
        for content in context.get("generated_content", {}).values():
            if content is not None:
                fix_url_and_save_as(content)
