"""A Generator that writes the pages Pelican has no notion of: partner and series pages,
their index pages, and the pages of authors who have not published yet."""

from blogcore.outputs import site_page
from pelican.generators import Generator

from .metadata import profile_author

# The editorial plugin's own SiteAudit in the generators' context. Other plugins read
# what it publishes for them, blogcore.catalog.editorial_state, never this.
CONTEXT_KEY = "EDITORIAL_AUDIT"


class EditorialPagesGenerator(Generator):
    """Writes /partner/{id}/, /partners/, /series/{id}/, /series/ and post-less /author/{id}/."""

    def planned_outputs(self):
        """(path, what) of every page generate_output writes (the same settings and
        profiles), for the build's check that no two writers share a path."""
        state = self.context.get(CONTEXT_KEY)
        if state is None:
            return []
        settings, catalog = state.settings, state.catalog
        paths = [settings["EDITORIAL_PARTNER_SAVE_AS"].format(slug=partner.id) for partner in catalog.partners.values()]
        paths.append(settings["EDITORIAL_PARTNERS_SAVE_AS"])
        paths += [settings["EDITORIAL_SERIES_SAVE_AS"].format(slug=series.id) for series in catalog.series.values()]
        paths.append(settings["EDITORIAL_SERIES_LIST_SAVE_AS"])
        paths += [
            settings["AUTHOR_SAVE_AS"].format(slug=profile.id)
            for profile in catalog.authors.values()
            if not state.author_posts[profile.id]
        ]
        return [(path, site_page(path)) for path in paths]

    def generate_output(self, writer):
        """Render every editorial page through Pelican's writer."""
        state = self.context.get(CONTEXT_KEY)
        if state is None:  # the audit did not run: nothing to describe
            return
        settings = state.settings
        catalog = state.catalog

        for partner in catalog.partners.values():
            writer.write_file(
                settings["EDITORIAL_PARTNER_SAVE_AS"].format(slug=partner.id),
                self.get_template("partner"),
                self.context,
                partner=partner,
                articles=state.partner_posts[partner.id],
                page_name=partner.page_url,
                url=partner.page_url,
            )
        writer.write_file(
            settings["EDITORIAL_PARTNERS_SAVE_AS"],
            self.get_template("partners"),
            self.context,
            page_name="partners",
            url=settings["EDITORIAL_PARTNERS_URL"],
        )
        for series in catalog.series.values():
            writer.write_file(
                settings["EDITORIAL_SERIES_SAVE_AS"].format(slug=series.id),
                self.get_template("series"),
                self.context,
                series=series,
                articles=series.parts,
                page_name=series.page_url,
                url=series.page_url,
            )
        writer.write_file(
            settings["EDITORIAL_SERIES_LIST_SAVE_AS"],
            self.get_template("series_list"),
            self.context,
            page_name="series",
            url=settings["EDITORIAL_SERIES_LIST_URL"],
        )
        # Pelican writes author pages only for authors with posts; every profile gets one.
        for profile in catalog.authors.values():
            if state.author_posts[profile.id]:
                continue
            writer.write_file(
                settings["AUTHOR_SAVE_AS"].format(slug=profile.id),
                self.get_template("author"),
                self.context,
                author=profile_author(profile, settings),
                articles=[],
                dates=[],
                page_name=profile.page_url,
                url=profile.page_url,
            )
