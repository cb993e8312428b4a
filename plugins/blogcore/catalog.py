"""What the editorial plugin knows of the site's people and series, as typed data other
plugins read: author, partner and series profiles and the catalog that finds them.

The editorial plugin reads the profiles from content/ and publishes an EditorialState
in the generators' context; other plugins read it through `editorial_state`, never
the editorial plugin's own objects.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

STATE_KEY = "EDITORIAL_STATE"

SYNDICATE_NONE = "none"
SYNDICATE_ALL = "all"


@dataclass
class ProfileLink:
    """A labelled link on an author profile (`Links: Label https://url, ...`)."""

    label: str
    url: str


def initials(name):
    """Up to two initials of a name, for a generated avatar or monogram ("Will Thomson" -> "WT")."""
    words = [word for word in name.split() if word[:1].isalpha()]
    letters = [words[0][0], words[-1][0]] if len(words) > 1 else [name[:1]]
    return "".join(letters).upper()


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
    post_count: int = 0  # published guest posts, once every post is read

    @property
    def initials(self):
        """Up to two initials for the monogram shown where the partner has no logo."""
        return initials(self.name)

    @property
    def is_partner_blog(self):
        """True when this partner republishes posts through a syndication feed."""
        return self.syndicate != SYNDICATE_NONE

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
    short_bio: str = ""  # the bio's first sentence, as plain text, for a compact author box
    affiliation: PartnerProfile | None = None
    post_count: int = 0  # published posts, once every post is read
    jsonld: object = None  # the author page's structured data, once every post is read

    @property
    def initials(self):
        """Up to two initials for the generated avatar ("Will Thomson" -> "WT")."""
        return initials(self.name)


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
    jsonld: object = None  # the series page's structured data, once every post is read


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


@dataclass(frozen=True)
class EditorialState:
    """What the editorial plugin publishes for the other plugins: the profiles, and the
    settings with the EDITORIAL_ defaults filled in (EDITORIAL_SITE_NAME and the rest)."""

    catalog: Catalog
    settings: Mapping


def publish_state(context, state):
    """Put `state` in the generators' `context` for the other plugins."""
    context[STATE_KEY] = state


def editorial_state(context):
    """The EditorialState of this build, or None when the editorial plugin is not on."""
    state = context.get(STATE_KEY)
    return state if isinstance(state, EditorialState) else None
