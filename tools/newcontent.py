"""Start a post, an author profile or a partner profile from the command line.

    python -m tools.newcontent post --title "..." --author ID [--category NAME] [--partner ID]
    python -m tools.newcontent author --id ID --name "..."
    python -m tools.newcontent partner --id ID --name "..." --url https://...

`make newpost`, `make newauthor` and `make newpartner` call this. Each writes one
new Markdown file that passes `make check` as it stands: the header holds what is
known, and every optional field is listed, with a line saying what it does, in an
HTML comment at the top of the body (a Markdown header cannot hold comments, and an
HTML comment never shows on the page). Names given on the command line are checked
against the profiles and settings the editorial plugin reads, with a did-you-mean;
an existing file is never overwritten.
"""

import argparse
import re
import sys
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from blogcore.errors import PipelineError  # noqa: E402
from blogcore.problems import site_relative  # noqa: E402
from blogcore.slugs import post_slug  # noqa: E402
from blogcore.source import parse_source, split_list  # noqa: E402
from editorial import rules  # noqa: E402
from editorial.audit import audit_site  # noqa: E402
from editorial.starter import BODY_PLACEHOLDER, DRAFT_COMMENT, OPTIONAL_FIELDS  # noqa: E402
from pelican.settings import read_settings  # noqa: E402
from pelican.utils import slugify  # noqa: E402

EXIT_OK, EXIT_REFUSED = 0, 1
DATE_FORMAT = "%Y-%m-%d %H:%M"  # the form the content rules ask for


class Refused(Exception):
    """Nothing was written; each line of `reasons` says what to change."""

    def __init__(self, reasons):
        self.reasons = list(reasons)
        super().__init__("\n".join(self.reasons))


class Site:
    """The settings and the audited content a new file must fit into."""

    def __init__(self, settings_file):
        self.settings = read_settings(str(settings_file))
        self.audit = audit_site(self.settings)
        self.catalog = self.audit.catalog
        self.content = Path(self.settings["PATH"])
        self.root = self.content.parent

    def shown(self, path):
        """`path` as the editor sees it, relative to the site root."""
        return site_relative(path, self.root)

    @property
    def categories(self):
        """The categories the site defines."""
        return list(self.audit.settings["EDITORIAL_CATEGORIES"])

    def folder(self, kind):
        """The folder under content/ holding profiles of `kind` (authors, partners)."""
        return self.content / self.audit.settings[f"EDITORIAL_{kind.upper()}_PATH"]

    def now(self):
        """The current time in the site's time zone, to the minute."""
        return datetime.now(ZoneInfo(self.settings["TIMEZONE"])).replace(second=0, microsecond=0)


def header_source(**fields):
    """A Source of a header holding `fields`, for the content rules to check."""
    return parse_source("new.md", "".join(f"{name}: {value}\n" for name, value in fields.items()) + "\n")


def as_reasons(variable, problems):
    """The content rules' `problems` as this tool's lines, naming the make variable."""
    return [f"{variable}: {problem.message}" + (f"; {problem.fix}" if problem.fix else "") for problem in problems]


def resolve_authors(site, value):
    """Map AUTHOR (ids or names, comma-separated) to author ids; return (ids, problems).

    The Authors rule of rules.py decides what is unknown and what to suggest."""
    reasons = as_reasons("AUTHOR", rules.check_authors(header_source(Authors=value), site.catalog))
    reasons = [
        reason
        if "did you mean" in reason
        else f'{reason}; a new author? run make newauthor ID=<id> NAME="<name>" first'
        for reason in reasons
        if "empty author" not in reason  # a stray comma in AUTHOR is not worth refusing
    ]
    ids = []
    for token in (item.strip() for item in split_list(value)):
        profile = site.catalog.find_author(token) if token else None
        if profile is not None and profile.id not in ids:
            ids.append(profile.id)
    if not ids and not reasons:
        reasons.append('AUTHOR is required: make newpost TITLE="..." AUTHOR=<author id>')
    return ids, reasons


def resolve_category(site, value):
    """Map CATEGORY to the site's spelling, or the first category when none is given
    (the Category rule of rules.py decides what is unknown)."""
    categories = site.categories
    if not value:
        return (categories[0] if categories else ""), []
    reasons = as_reasons("CATEGORY", rules.check_category(header_source(Category=value), categories))
    if reasons:
        return "", reasons
    return {name.casefold(): name for name in categories}[value.casefold()], []


def resolve_partner(site, value, variable="PARTNER"):
    """Map PARTNER (an id or name) to a partner id, or '' when none is given."""
    if not value:
        return "", []
    reasons = as_reasons(variable, rules.check_partner(header_source(Partner=value), site.catalog))
    if reasons:
        return "", reasons
    return site.catalog.find_partner(value).id, []


def suggest_id(text):
    """A profile id made from `text`: lowercase words joined by hyphens ("Ada Writer" -> "ada-writer")."""
    return re.sub(r"[^a-z0-9]+", "-", slugify(text, regex_subs=[])).strip("-")


def check_new_id(value, name, variable="ID"):
    """Problems with a new profile id: it must be lowercase words joined by hyphens."""
    if not rules.SLUG_PATTERN.match(value):
        suggestion = suggest_id(value or name)
        example = f", e.g. {variable}={suggestion}" if suggestion else ""
        return [f"{variable}: '{value}' is not a usable id; use lowercase letters, digits and hyphens{example}"]
    return []


def _example(ids, fallback):
    """The first known id, to show in a comment; a placeholder when there is none."""
    return sorted(ids)[0] if ids else fallback


def _known(ids):
    return ", ".join(sorted(ids)) or "none yet"


def post_text(title, post_id, date, category, authors, partner, site):
    """The text of a new draft post."""
    header = [
        f"Title: {title}",
        f"Id: {post_id}",
        f"Date: {date.strftime(DATE_FORMAT)}",
        f"Category: {category}",
        f"Authors: {', '.join(authors)}",
    ]
    if partner:
        header.append(f"Partner: {partner}")
    header.append("Status: draft")
    partners, series = site.catalog.partners, site.catalog.series
    comment = [
        "<!--",
        DRAFT_COMMENT,
        "To publish it, change that line to 'Status: published' and set Date to the",
        "publication time (a Date in the future schedules the post for that time).",
        "",
        OPTIONAL_FIELDS,
        "before the first blank line) and change the value. Delete this comment when",
        "you are done; it never shows on the page.",
        "",
        "Tags, comma-separated, each once:",
        "Tags: Interviews, Recruiters",
        f"A guest post: credit the partner (ids: {_known(partners)}):",
        f"Partner: {_example(partners, 'partner-id')}",
        f"Part of a series (ids: {_known(series)}), and its part number:",
        f"Series: {_example(series, 'series-id')}",
        "Series_index: 1",
        "One or two sentences for listings and feeds (else the first paragraph is used):",
        "Summary: What the reader will learn.",
        "A featured image under content/images/, what it shows, and who to credit:",
        "Image: images/picture.svg",
        "Image_alt: What the picture shows",
        "Image_credit: example.com",
        "Image_credit_url: https://example.com/",
        "The last substantive change, once published:",
        f"Modified: {date.strftime(DATE_FORMAT)}",
        "The words of the address (otherwise made from the Title):",
        f"Slug: {slugify(title, regex_subs=site.settings['SLUG_REGEX_SUBSTITUTIONS']) or 'words-of-the-address'}",
        "Old addresses of this post that must keep working, comma-separated:",
        "Aliases: /2014/02/old-slug/",
        "Where the post first appeared, when that was another site:",
        "Canonical: https://example.org/original-post/",
        "Keep the post out of partner blogs' feeds:",
        "Syndicate: no",
        "-->",
    ]
    return "\n".join(header) + "\n\n" + "\n".join(comment) + f"\n\n{BODY_PLACEHOLDER}\n"


def author_text(name, site):
    """The text of a new author profile."""
    partners = site.catalog.partners
    comment = [
        "<!--",
        OPTIONAL_FIELDS,
        "before the first blank line) and change the value. Delete this comment when",
        "you are done; it never shows on the page.",
        "",
        "The role shown under the name:",
        "Role: Staff Writer",
        f"The partner company the author writes for (ids: {_known(partners)}):",
        f"Affiliation: {_example(partners, 'partner-id')}",
        "A square picture under content/images/ (otherwise the initials are shown):",
        "Avatar: images/picture.jpg",
        "Links, each a label and an address, comma-separated:",
        "Links: LinkedIn https://www.linkedin.com/in/example/, Website https://example.org/",
        "",
        "Below: the bio shown with every post of this author. Replace it with two or",
        "three sentences: who they are and what they write about.",
        "-->",
    ]
    bio = f"{name} writes for {site.audit.settings['EDITORIAL_SITE_NAME']}."
    return f"Name: {name}\n\n" + "\n".join(comment) + f"\n\n{bio}\n"


def partner_text(name, url, site):
    """The text of a new partner profile."""
    settings = site.audit.settings
    comment = [
        "<!--",
        OPTIONAL_FIELDS,
        "before the first blank line) and change the value. Delete this comment when",
        "you are done; it never shows on the page.",
        "",
        "The partner's logo under content/images/:",
        "Logo: images/logo.svg",
        "The credit line on their guest posts; {partner} becomes their linked name:",
        f"Credit: {settings['EDITORIAL_CREDIT_LINE']}",
        f"The rel of links to them (any of sponsored, nofollow, ugc; default {settings['EDITORIAL_DEFAULT_REL']}):",
        "Rel: sponsored",
        "What their blog republishes from our feeds: all, none (the default), or categories:",
        f"Syndicate: {', '.join(site.categories[:2]) or 'all'}",
        "",
        "Below: the description on the partner's page. Replace it with a few sentences",
        "about the company.",
        "-->",
    ]
    description = f"{name} is a partner of {settings['EDITORIAL_SITE_NAME']}."
    return f"Name: {name}\nUrl: {url}\n\n" + "\n".join(comment) + f"\n\n{description}\n"


def write_new(path, text):
    """Write `text` to a new file at `path`; refuse if it exists (even if created meanwhile)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Mode "x" fails if the file appeared since we looked: nothing is ever overwritten.
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _refuse_existing(site, path, what):
    if path.exists():
        raise Refused([f"{site.shown(path)} already exists; edit it, or choose another {what}"])


def new_post(site, title, author, category="", partner=""):
    """Create content/posts/<slug>.md as a draft; return its path or raise Refused."""
    title = " ".join(title.split())
    problems = []
    if not title:
        problems.append('TITLE is required: make newpost TITLE="..." AUTHOR=<author id>')
    authors, found = resolve_authors(site, author)
    problems += found
    category, found = resolve_category(site, category)
    problems += found
    partner, found = resolve_partner(site, partner)
    problems += found
    if problems:
        raise Refused(problems)

    now = site.now()
    text = post_text(title, str(uuid.uuid4()), now, category, authors, partner, site)
    slug = post_slug(parse_source("new.md", text), site.settings)
    if not slug:
        raise Refused([f"TITLE: '{title}' gives an empty address; use words in the title"])
    path = site.content / site.settings["ARTICLE_PATHS"][0] / f"{slug}.md"
    _refuse_existing(site, path, "TITLE")
    for source in site.audit.posts.values():
        if post_slug(source, site.settings) == slug:
            used_by = site.shown(source.path)
            raise Refused([f"TITLE: the address '{slug}' is already used by {used_by}; choose another TITLE"])
    write_new(path, text)
    return path, slug, now


def new_author(site, author_id, name):
    """Create content/authors/<id>.md; return its path or raise Refused."""
    name = " ".join(name.split())
    if not name:
        raise Refused(['NAME is required: make newauthor ID=<id> NAME="<full name>"'])
    author_id = author_id or suggest_id(name)
    problems = check_new_id(author_id, name)
    for token in (author_id, name):
        existing = site.catalog.find_author(token) if token else None
        if existing is not None:
            problems.append(f"'{token}' is already the author {site.shown(existing.source_path)}; use that id in posts")
            break
    if problems:
        raise Refused(problems)
    path = site.folder("authors") / f"{author_id}.md"
    _refuse_existing(site, path, "ID")
    write_new(path, author_text(name, site))
    return path, author_id


def new_partner(site, partner_id, name, url):
    """Create content/partners/<id>.md; return its path or raise Refused."""
    name = " ".join(name.split())
    url = url.strip()
    if not name:
        raise Refused(['NAME is required: make newpartner ID=<id> NAME="<company>" URL=https://...'])
    partner_id = partner_id or suggest_id(name)
    problems = check_new_id(partner_id, name)
    problems += as_reasons("URL", rules.check_absolute_url(header_source(Url=url), "Url"))
    for token in (partner_id, name):
        existing = site.catalog.find_partner(token) if token else None
        if existing is not None:
            problems.append(f"'{token}' is already the partner {site.shown(existing.source_path)}; use that id")
            break
    if problems:
        raise Refused(problems)
    path = site.folder("partners") / f"{partner_id}.md"
    _refuse_existing(site, path, "ID")
    write_new(path, partner_text(name, url, site))
    return path, partner_id


def _post_steps(site, path, slug, date):
    url = site.settings["ARTICLE_URL"].format(date=date, slug=slug)
    shown = site.shown(path)
    return [
        f"Created {shown} (a draft: it is not published).",
        "Next steps:",
        f"  1. Write the post in {shown}; the comment at the top of the body lists the optional fields.",
        "  2. make check        finds mistakes in every post (and runs before each commit after make hooks).",
        f"  3. make preview      then make serve, and read it at {site.settings['SITEURL']}/{url}",
        "  4. To publish: set 'Status: published' and the Date, then",
        f'     git add {shown} && git commit -m "New post: {slug}"',
    ]


def _profile_steps(site, path, profile_id, kind):
    shown = site.shown(path)
    use = f"Authors: {profile_id}" if kind == "author" else f"Partner: {profile_id}"
    return [
        f"Created {shown}.",
        "Next steps:",
        f"  1. Edit {shown}; the comment at the top of the body lists the optional fields.",
        f"  2. Posts name this {kind} with the header line '{use}'.",
        "  3. make check, then",
        f'     git add {shown} && git commit -m "New {kind}: {profile_id}"',
    ]


def main(argv=None):
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settings", default=str(ROOT / "pelicanconf.py"))
    kinds = parser.add_subparsers(dest="kind", required=True)
    post = kinds.add_parser("post", help="start a draft post")
    post.add_argument("--title", default="")
    post.add_argument("--author", default="")
    post.add_argument("--category", default="")
    post.add_argument("--partner", default="")
    author = kinds.add_parser("author", help="add an author profile")
    author.add_argument("--id", default="")
    author.add_argument("--name", default="")
    partner = kinds.add_parser("partner", help="add a partner profile")
    partner.add_argument("--id", default="")
    partner.add_argument("--name", default="")
    partner.add_argument("--url", default="")
    args = parser.parse_args(argv)

    try:
        site = Site(args.settings)
        if args.kind == "post":
            path, slug, date = new_post(site, args.title, args.author, args.category, args.partner)
            lines = _post_steps(site, path, slug, date)
        elif args.kind == "author":
            path, author_id = new_author(site, args.id, args.name)
            lines = _profile_steps(site, path, author_id, "author")
        else:
            path, partner_id = new_partner(site, args.id, args.name, args.url)
            lines = _profile_steps(site, path, partner_id, "partner")
    except Refused as refused:
        for reason in refused.reasons:
            print(f"make new{args.kind}: {reason}", file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return EXIT_REFUSED
    except FileExistsError as error:
        print(f"make new{args.kind}: {error.filename} already exists. Nothing was written.", file=sys.stderr)
        return EXIT_REFUSED
    except PipelineError as error:
        print(error, file=sys.stderr)
        return EXIT_REFUSED
    print("\n".join(lines))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
