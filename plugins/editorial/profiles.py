"""Author, partner and series profiles, read from their folders under content/."""

from dataclasses import dataclass, field
from pathlib import Path

from blogcore.markdown_guard import NAME as GUARD_EXTENSION
from blogcore.markdown_guard import findings_of
from blogcore.source import UnreadableSource, read_source
from markdown import Markdown
from markupsafe import Markup

SYNDICATE_NONE = "none"
SYNDICATE_ALL = "all"


@dataclass
class ProfileLink:
    """A labelled link on an author profile (`Links: Label https://url, ...`)."""

    label: str
    url: str


@dataclass
class PartnerProfile:
    """A partner company: guest-post credit and, for partner blogs, what they syndicate."""

    id: str
    name: str
    url: str
    rel: str
    logo: str
    credit_line: str
    syndicate: object  # SYNDICATE_ALL, SYNDICATE_NONE or a tuple of category names
    description: Markup
    source_path: Path
    page_url: str = ""

    def takes(self, category_name):
        """True when this partner republishes posts of `category_name`."""
        if self.syndicate == SYNDICATE_ALL:
            return True
        if self.syndicate == SYNDICATE_NONE:
            return False
        return category_name.casefold() in {name.casefold() for name in self.syndicate}


@dataclass
class AuthorProfile:
    """A person who writes for the blog; the Markdown body is the bio."""

    id: str
    name: str
    role: str
    affiliation_id: str
    avatar: str
    links: list
    bio: Markup
    source_path: Path
    page_url: str = ""
    affiliation: PartnerProfile | None = None

    @property
    def initials(self):
        """Up to two initials for the generated avatar ("Will Thomson" -> "WT")."""
        words = [word for word in self.name.split() if word[:1].isalpha()]
        letters = [words[0][0], words[-1][0]] if len(words) > 1 else [self.name[:1]]
        return "".join(letters).upper()


@dataclass
class SeriesProfile:
    """A series of posts; the Markdown body is its description."""

    id: str
    name: str
    image: str
    description: Markup
    source_path: Path
    page_url: str = ""
    parts: list = field(default_factory=list)


@dataclass
class Catalog:
    """Every profile of the site, by id, with lookups by id or name."""

    authors: dict = field(default_factory=dict)
    partners: dict = field(default_factory=dict)
    series: dict = field(default_factory=dict)

    def find_author(self, token):
        """Return the author whose id or name is `token` (case-insensitive), or None."""
        return _find(self.authors, token)

    def find_partner(self, token):
        """Return the partner whose id or name is `token` (case-insensitive), or None."""
        return _find(self.partners, token)

    def find_series(self, token):
        """Return the series whose id or name is `token` (case-insensitive), or None."""
        return _find(self.series, token)


def _find(profiles, token):
    """The profile whose id or name is `token`, case-insensitively, or None."""
    wanted = token.strip().casefold()
    for profile in profiles.values():
        if wanted in (profile.id.casefold(), profile.name.casefold()):
            return profile
    return None


def markdown_renderer(settings, who="profiles"):
    """Return a Markdown converter configured like Pelican's reader, whose sanitiser
    applies the guest list to everything (profiles are not trusted); its messages name
    the content `who`."""
    config = settings.get("MARKDOWN", {})
    extension_configs = dict(config.get("extension_configs", {}))
    guard = {**extension_configs.get(GUARD_EXTENSION, {}), "trust": "guest", "who": who}
    extension_configs[GUARD_EXTENSION] = guard
    return Markdown(
        extensions=list(extension_configs),
        extension_configs=extension_configs,
        output_format=config.get("output_format", "html5"),
    )


def render_markdown(renderer, text):
    """Render `text` with `renderer` and return it marked safe for templates: the
    renderer's sanitiser has cleaned it (what it removed: `removed_by_renderer`)."""
    renderer.reset()
    return Markup(renderer.convert(text.strip()))


def removed_by_renderer(renderer):
    """The Findings of what the sanitiser removed in the renderer's last conversion."""
    return findings_of(getattr(renderer, "Meta", {}))


def parse_links(value):
    """Parse `Label https://url, Label2 https://url2` into ProfileLinks (bad entries kept raw)."""
    links = []
    for entry in value.split(","):
        entry = entry.strip()
        if not entry:
            continue
        label, _, url = entry.rpartition(" ")
        links.append(ProfileLink(label=label.strip() or url, url=url.strip()))
    return links


def parse_syndicate(value):
    """Parse a partner's `Syndicate` field: all, none, or a list of category names."""
    lowered = value.strip().casefold()
    if lowered in ("", SYNDICATE_NONE, "no"):
        return SYNDICATE_NONE
    if lowered in (SYNDICATE_ALL, "yes"):
        return SYNDICATE_ALL
    return tuple(name.strip() for name in value.split(",") if name.strip())


def profile_sources(content_path, folder):
    """Yield (path, Source or UnreadableSource) for every Markdown profile in `folder`."""
    directory = Path(content_path) / folder
    if not directory.is_dir():
        return
    for path in sorted(directory.glob("*.md")):
        try:
            yield path, read_source(path)
        except UnreadableSource as error:
            yield path, error


def build_author(source, renderer, settings):
    """Make an AuthorProfile from a profile Source."""
    author_id = source.path.stem
    return AuthorProfile(
        id=author_id,
        name=source.get("name") or author_id,
        role=source.get("role"),
        affiliation_id=source.get("affiliation"),
        avatar=source.get("avatar"),
        links=parse_links(source.get("links")),
        bio=render_markdown(renderer, source.body),
        source_path=source.path,
        page_url=settings["AUTHOR_URL"].format(slug=author_id),
    )


def build_partner(source, renderer, settings):
    """Make a PartnerProfile from a profile Source."""
    partner_id = source.path.stem
    return PartnerProfile(
        id=partner_id,
        name=source.get("name") or partner_id,
        url=source.get("url"),
        rel=" ".join(source.get("rel").replace(",", " ").split()).lower() or settings["EDITORIAL_DEFAULT_REL"],
        logo=source.get("logo"),
        credit_line=source.get("credit") or settings["EDITORIAL_CREDIT_LINE"],
        syndicate=parse_syndicate(source.get("syndicate")),
        description=render_markdown(renderer, source.body),
        source_path=source.path,
        page_url=settings["EDITORIAL_PARTNER_URL"].format(slug=partner_id),
    )


def build_series(source, renderer, settings):
    """Make a SeriesProfile from a profile Source."""
    series_id = source.path.stem
    return SeriesProfile(
        id=series_id,
        name=source.get("name") or series_id,
        image=source.get("image"),
        description=render_markdown(renderer, source.body),
        source_path=source.path,
        page_url=settings["EDITORIAL_SERIES_URL"].format(slug=series_id),
    )
