"""Links and images in post and page bodies, checked before anything is written.

Pelican leaves a `{filename}` link it cannot resolve in the page as written
(`href="{filename}when-a-recruiter-call.md"`), with one log line that names no post, and
never looks at any other link: an image that does not exist, a typo'd site path or a link
to the development server's address ship silently. Here every `href`, `src`, `poster` and
`srcset` of every body is read once all generators have planned their outputs, and
checked against what the build will really publish:

- `{filename}`, `{static}` and `{attach}` targets resolve as Pelican resolves them (from
  the file's folder, or from content/ with a leading '/'), to a post or page that is not
  a draft (from a published one) or to a file that exists;
- `{tag}`, `{category}` and `{author}` name a tag, category or author of the site;
- site paths (`/2014/03/a-post/`) and relative links are files the build writes, and not
  the old address of a moved post (an alias) or a retired page;
- no link goes to the development origin (localhost, 127.0.0.1, ...).

Each mistake is a `file:line: body: ...` problem with the nearest spelling that exists.
Links to other hosts, fragments, `mailto:` and `tel:` are left alone: checking them
needs the network, which the build does not use.
"""

import difflib
import html
import os
import posixpath
import re
import socket
from dataclasses import dataclass
from ipaddress import ip_address
from urllib.parse import unquote, urlsplit

from blogcore.outputs import ALIAS, CONTENT, OVERRIDE, site_path
from blogcore.problems import Problem, did_you_mean, site_relative
from blogcore.source import UnreadableSource, read_source
from pelican.urlwrappers import Author, Category, Tag

from .bodies import BodyLines

# A start tag of sanitised HTML: the sanitiser writes every attribute value in double
# quotes, so a '>' inside a value cannot end the tag here.
_START_TAG = re.compile(r'<[a-zA-Z][^\s/>]*((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*/?>')
_ATTRIBUTE = re.compile(r'\s([^\s=/>]+)(?:="([^"]*)")?')
URL_ATTRIBUTES = frozenset({"href", "src", "poster"})
# Pelican's placeholders, as its default INTRASITE_LINK_REGEX reads them: {kind} or |kind|.
_PLACEHOLDER = re.compile(r"^[{|](?P<kind>[^{}|]*)[|}](?P<target>.*)$", re.DOTALL)
# Jekyll's {% post_url %} and {{ site.baseurl }}, Hugo's {{< ref >}}: copied from another blog.
_TEMPLATE_CODE = re.compile(r"\{\{|\{%")
FILE_KINDS = ("filename", "static", "attach")
TAXONOMY_KINDS = {"tag": Tag, "category": Category, "author": Author}
KINDS_HINT = "use {filename}, {static}, {attach}, {tag}, {category}, {author} or {index}"
DEV_HOSTS = frozenset({"localhost", "0.0.0.0", "::1"})
IGNORED_SCHEMES = frozenset({"mailto", "tel", "sms", "data"})
NAME_CUTOFF = 0.75  # how alike a file or slug name must be to be suggested (difflib ratio)
MAX_PER_FILE = 20  # broken links reported per body, then one line saying there are more


@dataclass(frozen=True)
class SiteFiles:
    """What a link may point at: every file the build writes and every source it read."""

    outputs: dict  # output path ('a/b/index.html') -> its PlannedOutput
    contents: dict  # content-relative source path -> the post or page read from it
    statics: frozenset  # content-relative paths of the files under content/ that exist
    by_output: dict  # output path -> the post or page written there
    taxonomies: dict  # 'tag' / 'category' / 'author' -> {name: url}
    settings: dict
    site_root: str  # the folder holding content/, for the paths editors see

    def paths_like(self, path):
        """The site paths a link to `path` may have meant: of pages for a page's path, of
        files of the same type for a file's (an image is no typo for a post), leaving out
        redirect and retired pages."""
        suffix = posixpath.splitext(path)[1].casefold() if not path.endswith("/") else ""
        wanted = (suffix,) if suffix not in ("", ".html") else ("", ".html")
        return [
            site_path(file)
            for file, output in self.outputs.items()
            if output.rank != ALIAS and posixpath.splitext(site_path(file).rstrip("/"))[1].casefold() in wanted
        ]


def site_files(outputs, context, settings, taxonomies):
    """The SiteFiles of a build from its planned `outputs` and the generators' `context`."""
    content_root = settings["PATH"]
    contents = {path: content for path, content in context.get("generated_content", {}).items() if content}
    # Every static file exists: the links of bodies to missing ones were dropped before the
    # static generator read them (editorial.drop_missing_static_links).
    statics = frozenset(path for path, static in context.get("static_content", {}).items() if static is not None)
    # Where each post and page is written, from the plan (Pelican works save_as out afresh
    # on every access: the plan did it once).
    by_source = {content.source_path: content for content in contents.values()}
    by_output = {
        output.path: by_source[output.key]
        for output in outputs
        if output.rank in (CONTENT, OVERRIDE) and output.key in by_source
    }
    return SiteFiles(
        {output.path: output for output in outputs},
        contents,
        statics,
        by_output,
        taxonomies,
        settings,
        os.path.dirname(os.path.abspath(content_root)),
    )


def taxonomy_urls(articles_generator):
    """{kind: {name: url}} of the tags, categories and authors the posts give the site."""
    if articles_generator is None:
        return {kind: {} for kind in TAXONOMY_KINDS}
    return {
        "tag": {tag.name: tag.url for tag in articles_generator.tags},
        "category": {category.name: category.url for category, _ in articles_generator.categories},
        "author": {author.name: author.url for author, _ in articles_generator.authors},
    }


def body_links(body):
    """Every URL the tags of sanitised `body` HTML hold (href, src, poster, each srcset
    candidate), unescaped, in order, each once."""
    found = {}
    for tag in _START_TAG.finditer(body):
        for name, value in _ATTRIBUTE.findall(tag.group(1)):
            name = name.lower()
            if name in URL_ATTRIBUTES:
                found.setdefault(html.unescape(value).strip(), None)
            elif name == "srcset":
                for candidate in html.unescape(value).split(","):
                    if candidate.strip():
                        found.setdefault(candidate.split()[0], None)
    return [link for link in found if link]


def body_link_problems(contents, site, source_of):
    """The problems of every link in the bodies of `contents` (posts and pages).

    `source_of(content)` returns the content's Source, for the line a link is on; it is
    only asked for a body with a broken link. At most MAX_PER_FILE links of one body are
    reported, then one line says there are more: a hostile body of thousands of broken
    links costs the check no more than a short one.
    """
    problems = []
    for content in contents:
        found, more = [], False
        for link in body_links(content._content or ""):
            checked = check_link(link, content, site)
            if checked is not None:
                if len(found) == MAX_PER_FILE:
                    more = True
                    break
                found.append((link, *checked))
        if found:
            problems.extend(_located(content, found, more, site, source_of))
    return problems


def _located(content, found, more, site, source_of):
    path = site_relative(content.source_path, site.site_root)
    lines = BodyLines(_with_body(source_of(content), content.source_path))
    located = [
        Problem(path, lines.line_of(_as_in_markdown(link)), "body", message, fix) for link, message, fix in found
    ]
    if more:
        located.append(
            Problem(
                path,
                None,
                "body",
                f"has more broken links than the {MAX_PER_FILE} shown",
                "fix these and check again",
            )
        )
    return located


def _with_body(source, path):
    # The audit cache keeps a post's header without its body: read the file again, as
    # bodies.finding_problems does (only ever for a body with a broken link).
    if source is not None and source.body:
        return source
    try:
        return read_source(path)
    except (OSError, UnreadableSource):
        return source


def _as_in_markdown(link):
    # How a link is written, most telling first: a bare 'pic.svg' is in many a longer link.
    return [f"({link})", f"({link} ", f'"{link}"', f"'{link}'", f"<{link}>", f"]: {link}", link]


def check_link(link, content, site):
    """(message, fix) for a link of `content`'s body that readers could not follow, or None."""
    if _TEMPLATE_CODE.search(unquote(link)):
        return broken(
            f"links to {link}, which is Jekyll or Hugo template code: this site does not run it",
            "link to a post as {filename}its-file.md, and to a picture as {static}/images/its-file",
        )
    placeholder = _PLACEHOLDER.match(link)
    if placeholder:
        return _placeholder_problem(link, placeholder["kind"], placeholder["target"], content, site)
    parts = urlsplit(link)
    if parts.scheme.lower() in IGNORED_SCHEMES:
        return None
    if parts.scheme or parts.netloc:
        if parts.scheme.lower() not in ("http", "https", ""):
            return None
        if _is_development_host(parts.hostname):
            return _development_link(link, parts.path, content, site)
        if not _is_own_host(parts, site.settings):
            return None  # another site: checking it needs the network
    if not parts.path:
        return None  # '#section' or '?query': this very page
    path = posixpath.normpath(posixpath.join(posixpath.dirname("/" + content.url), unquote(parts.path)))
    if parts.path.endswith("/") and path != "/":
        path += "/"
    return _site_path_problem(link, path, content, site)


def broken(message, fix):
    """The (message, fix) of a link readers could not follow: one name for every such
    message, which the docs test finds in the code and looks for in the guide."""
    return message, fix


def _placeholder_problem(link, kind, target, content, site):
    if kind in FILE_KINDS:
        return _file_problem(link, kind, target, content, site)
    if kind in TAXONOMY_KINDS:
        return _taxonomy_problem(link, kind, urlsplit(target).path, site)
    if kind == "index":
        return None
    return broken(f"links to {link}, but {{{kind}}} is no kind of site link", KINDS_HINT)


def _resolve(target, content):
    # As Pelican's Content._link_replacer: '/...' from content/, else from the file's folder.
    path = unquote(urlsplit(target).path)
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(_folder(content), path))


def _folder(content):
    return content.relative_dir.replace(os.sep, "/")


def _as_written(resolved, target, content):
    # A suggestion in the form the editor used: from content/, or from the file's folder.
    if target.startswith("/"):
        return "/" + resolved
    return posixpath.relpath(resolved, _folder(content) or ".")


def nearest_path(path, candidates):
    """The candidate path `path` most likely meant, or None: the same path in another case,
    else the nearest last segment (a file or slug name: the folders they share would make
    any two paths look alike), nearest folder first."""
    folded = {candidate.casefold(): candidate for candidate in candidates}
    if path.casefold() in folded:
        return folded[path.casefold()]
    by_name = {}
    for candidate in sorted(candidates):  # one answer, whatever order the site was read in
        by_name.setdefault(_last_segment(candidate).casefold(), []).append(candidate)
    # Stricter than field values' did_you_mean: two file names share letters by chance
    # ('nothere.svg', 'the-hiring-desk.svg'); a typo keeps most of them in order.
    names = difflib.get_close_matches(_last_segment(path).casefold(), list(by_name), n=1, cutoff=NAME_CUTOFF)
    if not names:
        return None
    name = names[0]
    folder = posixpath.dirname(path.rstrip("/"))
    return max(
        by_name[name], key=lambda c: difflib.SequenceMatcher(None, folder, posixpath.dirname(c.rstrip("/"))).ratio()
    )


def _last_segment(path):
    return posixpath.basename(path.rstrip("/"))


def _guess(value, candidates, spell, otherwise):
    # 'did you mean ...?' when a candidate is near enough, else `otherwise`.
    guess = nearest_path(value, candidates)
    return f"did you mean {spell(guess)}?" if guess is not None else otherwise


def _file_problem(link, kind, target, content, site):
    resolved = _resolve(target, content)
    if kind == "filename":
        linked = site.contents.get(resolved)
        if linked is not None:
            return _draft_problem(link, linked, content)
        if resolved in site.statics:
            return broken(
                f"links to {link}, which is a file, not a post or page",
                f"write {{static}}{target}: {{filename}} is for posts and pages",
            )
        fix = _guess(
            resolved,
            [path for path, linked in site.contents.items() if linked is not content],
            lambda guess: "{filename}" + _as_written(guess, target, content),
            "name the post's file from this file's folder, or from content/ with a leading '/'",
        )
        return broken(f"links to {link}, but there is no post or page content/{resolved}", fix)
    if resolved in site.statics:
        return None
    if resolved in site.contents:
        return broken(
            f"links to {link}, which is a post or page, not a file",
            f"write {{filename}}{target}: {{{kind}}} is for images and other files",
        )
    fix = _guess(
        resolved,
        sorted(site.statics),
        lambda guess: f"{{{kind}}}" + _as_written(guess, target, content),
        "put the file under content/images/ and name it from content/ with a leading '/'",
    )
    return broken(f"links to {link}, but there is no file content/{resolved}", fix)


def _draft_problem(link, linked, content):
    # A published page may not lead readers to a draft: its URL is not public (yet).
    if getattr(linked, "status", "published") != "draft" or getattr(content, "status", "") == "draft":
        return None
    return broken(
        f"links to {link}, which is a draft: readers cannot open it",
        "publish that post first, or add the link once it is published",
    )


def _taxonomy_problem(link, kind, name, site):
    known = site.taxonomies.get(kind, {})
    # Pelican links any name: one whose slug is a known one's ('recruiters') works as well.
    if name in known or TAXONOMY_KINDS[kind](name, site.settings).url in known.values():
        return None
    guess = did_you_mean(name, sorted(known))
    fix = f"did you mean {{{kind}}}{guess}?" if guess is not None else f"name a {kind} the site's posts have"
    return broken(f"links to {link}, but no post has the {kind} '{name}'", fix)


def _is_development_host(host):
    if not host:
        return False
    host = host.lower().rstrip(".")
    if host in DEV_HOSTS or host.endswith(".localhost"):
        return True
    try:
        address = ip_address(host)
    except ValueError:
        try:  # '127.1' and '0x7f.1' are IPv4 addresses to a browser (and to inet_aton)
            address = ip_address(socket.inet_aton(host))
        except OSError:
            return False
    address = getattr(address, "ipv4_mapped", None) or address  # '::ffff:127.0.0.1'
    return address.is_loopback or address.is_unspecified


def _is_own_host(parts, settings):
    site = urlsplit(settings.get("SITEURL", ""))
    return bool(site.netloc) and parts.netloc.lower() == site.netloc.lower()


def _development_link(link, path, content, site):
    path = unquote(path or "/")
    page = _page_at(path, site)
    if page is not None:
        fix = f"write {{filename}}{_relative_source(page, content)}"
    elif _output_at(path, site) is not None:
        fix = f"write the site path {path}"
    else:
        fix = _guess(path, site.paths_like(path), str, "link to a page the site publishes")
    return broken(f"links to {link}, the development server, which readers cannot reach", fix)


def _relative_source(page, content):
    source = page.get_relative_source_path()
    return _as_written(source, source, content)


def _output_file(path):
    # The file a site path is served from: '/' -> index.html, '/a/' -> a/index.html.
    file = path.lstrip("/")
    return file + "index.html" if file.endswith("/") or not file else file


def _page_at(path, site):
    file = _output_file(path)
    page = site.by_output.get(file)
    if page is None and not path.endswith("/"):
        page = site.by_output.get(file + "/index.html")
    return page


def _output_at(path, site):
    file = _output_file(path)
    output = site.outputs.get(file)
    if output is None and not path.endswith("/"):
        output = site.outputs.get(file + "/index.html")  # hosts answer /a with /a/
    return output


def _site_path_problem(link, path, content, site):
    output = _output_at(path, site)
    if output is None:
        suffix = posixpath.splitext(path.rstrip("/"))[1].lower()
        otherwise = (
            "put the file under content/images/ and write {static}/images/ and its name"
            if suffix and suffix != ".html"
            else "link to a post as {filename}its-file.md, which follows it when its URL changes"
        )
        fix = _guess(path, site.paths_like(path), str, otherwise)
        return broken(f"links to {link}, but the site publishes nothing at {path}", fix)
    if output.rank != ALIAS:
        return None
    if output.redirect_to:
        page = _page_at(output.redirect_to, site)
        fix = f"write {{filename}}{_relative_source(page, content)}" if page else f"link to {output.redirect_to}"
        return broken(f"links to {link}, an old address that redirects to {output.redirect_to}", fix)
    return broken(f"links to {link}, a page the site retired", "remove the link, or link to another page")
