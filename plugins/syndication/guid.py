"""Feed GUIDs that never change once a post is published.

A post's GUID is `urn:uuid:<uuid>` with isPermaLink="false", so it is independent of
everything an editor may change later: title, slug, date, category and URL.

- A post with an `Id:` header that is a UUID (what `make newpost` writes) uses it as is,
  in canonical lower-case form (so retyping its case does not change the GUID).
- An `Id:` that is some other stable token (the editorial rules allow any long opaque
  token) becomes a name-based UUID (uuid5) of that token.
- A post without an Id falls back to a uuid5 of its source file's path below content/
  ("posts/when-a-recruiter-calls.md"). The file name survives retitling, reslugging,
  redating, recategorising and URL changes; only renaming or moving the file changes
  it. `make check` and the build warn about every such post (editorial's audit) with
  the exact `Id:` line that pins today's GUID, so adding it later changes nothing for
  subscribers.

uuid5 needs a namespace; SYNDICATION_GUID_NAMESPACE is a constant (not SITEURL), so
development and production builds agree.
"""

import uuid
from dataclasses import dataclass
from pathlib import PurePath


@dataclass(frozen=True)
class Guid:
    """A post's feed GUID and whether it came from the fallback (no Id header)."""

    value: str
    from_fallback: bool

    @property
    def uuid(self):
        """The bare UUID, i.e. what an `Id:` header must say to keep this GUID."""
        return self.value.removeprefix("urn:uuid:")


def _as_uuid(token):
    try:
        return uuid.UUID(token)
    except ValueError:
        return None


def source_key(relative_source_path):
    """The fallback's stable name for a post: its source path below content/, POSIX style."""
    return PurePath(relative_source_path).as_posix()


def post_guid(post_id, relative_source_path, namespace):
    """Return the Guid of a post from its `Id:` value (or None) and its source path."""
    namespace = uuid.UUID(str(namespace))
    token = (post_id or "").strip()
    if token:
        parsed = _as_uuid(token) or uuid.uuid5(namespace, f"id:{token}")
        return Guid(f"urn:uuid:{parsed}", from_fallback=False)
    derived = uuid.uuid5(namespace, f"source:{source_key(relative_source_path)}")
    return Guid(f"urn:uuid:{derived}", from_fallback=True)


def feed_id(rss_path, namespace):
    """The permanent Atom id of a feed: a uuid5 of its RSS path, which partners subscribe to
    and which never changes without a redirect (SITEURL differs between builds)."""
    return f"urn:uuid:{uuid.uuid5(uuid.UUID(str(namespace)), f'feed:{rss_path}')}"
