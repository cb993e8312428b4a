"""What real feed readers show (issue 15): Debian's newsboat and sfeed, neither written here
nor built on feedparser, fetch a fixture site's feeds over HTTP from 127.0.0.1 and the tests
read what each keeps to show a person: newsboat's article list and article view come from
its cache (SQLite), sfeed's from the TSV lines sfeed_update writes. Both programs are
installed by tools/system-packages, which `make test` runs."""

import http.server
import io
import shutil
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from support import AUTHOR, PARTNER, SERIES, build_site, local_server, post, serving, write_site

TWO_AUTHORS_ID = "4b0f3f0e-8d2c-4c55-9d0e-6f1a2b3c4d01"
MOVED_ID = "4b0f3f0e-8d2c-4c55-9d0e-6f1a2b3c4d02"
LAST_PARAGRAPH = "The last paragraph of the post, which a summary-only feed would cut."

FILES = {
    "authors/ada-writer.md": AUTHOR,
    "authors/bo-editor.md": "Name: Bo Editor\nRole: Editor\n\nBo edits the blog.\n",
    "partners/acme-hiring.md": PARTNER,
    "partners/all-blog.md": "Name: All Blog\nUrl: https://all-blog.example/\nSyndicate: all\n\nA partner blog.\n",
    "series/test-series.md": SERIES,
    "pages/about.md": "Title: About\n\nAbout the site.\n",
    "posts/two-authors.md": post(
        "Two Authors",
        Id=TWO_AUTHORS_ID,
        Date="2014-03-05 09:00",
        Modified="2014-04-01 10:30",
        Authors="ada-writer, bo-editor",
        Partner="acme-hiring",
        body=f"Read [about us](/about/) first.\n\n{LAST_PARAGRAPH}",
    ),
    "images/desk.jpg": None,  # a photo, made below
    "posts/moved.md": post(
        "Moved Post",
        Id=MOVED_ID,
        Date="2014-03-10 09:00",
        Canonical="https://elsewhere.example/original/",
        Image="images/desk.jpg",
        Image_alt="A desk by a window",
        Image_credit="Example Photos",
    ),
}


def _photo():
    # A featured photo wide enough for every rendition: JPEG bytes, the same on every run.
    image = Image.new("RGB", (1600, 1000))
    image.putdata([(x % 256, (x // 7) % 256, 120) for x in range(1600 * 1000)])
    data = io.BytesIO()
    image.save(data, "JPEG", quality=85)
    return data.getvalue()


FILES["images/desk.jpg"] = _photo()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def _need(program):
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed: tools/system-packages installs it (make test does)")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(origin, output) of the fixture site built for the origin it is served at."""
    root = tmp_path_factory.mktemp("feed-readers")
    output = root / "output"
    output.mkdir()
    server, origin = local_server(_QuietHandler, output)
    build_site(write_site(root, FILES), output, SITEURL=origin)
    with serving(server):
        yield origin, output


def _newsboat(tmp_path, urls):
    """newsboat's cache after it fetched `urls` once: {feed url: (title, link)} and its
    articles as {(feed url, title): row}."""
    _need("newsboat")
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "urls").write_text("\n".join(urls) + "\n", encoding="utf-8")
    (tmp_path / "config").write_text("download-timeout 20\n", encoding="utf-8")
    cache = tmp_path / "cache.db"
    command = ["newsboat", "-u", str(tmp_path / "urls"), "-c", str(cache), "-C", str(tmp_path / "config")]
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    subprocess.run([*command, "-x", "reload"], env=env, check=True, capture_output=True, timeout=120)
    with sqlite3.connect(cache) as db:
        db.row_factory = sqlite3.Row
        feeds = {row["rssurl"]: (row["title"], row["url"]) for row in db.execute("SELECT * FROM rss_feed")}
        items = {(row["feedurl"], row["title"]): dict(row) for row in db.execute("SELECT * FROM rss_item")}
    return feeds, items


SFEED_FIELDS = ("timestamp", "title", "link", "content", "content_type", "id", "author", "enclosure", "category")


def _unescape_tsv(value):
    # sfeed escapes \n, \t and \\ in its fields.
    return value.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def _sfeed(tmp_path, feeds):
    """What sfeed_update (sfeed with curl) keeps of `feeds` ({name: url}): {name: [item]}."""
    _need("sfeed_update")
    _need("curl")
    folder = tmp_path / "sfeed"
    lines = "\n".join(f'    feed "{name}" "{url}"' for name, url in feeds.items())
    (tmp_path / "sfeedrc").write_text(f'sfeedpath="{folder}"\nfeeds() {{\n{lines}\n}}\n', encoding="utf-8")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    subprocess.run(["sfeed_update", str(tmp_path / "sfeedrc")], env=env, check=True, capture_output=True, timeout=120)
    found = {}
    for name in feeds:
        rows = (Path(folder) / name).read_text(encoding="utf-8").splitlines()
        found[name] = [dict(zip(SFEED_FIELDS, map(_unescape_tsv, row.split("\t")), strict=False)) for row in rows]
    return found


def test_newsboat_shows_every_author_in_rss_and_atom(served, tmp_path):
    origin, _ = served
    rss, atom = f"{origin}/feeds/author/bo-editor.rss.xml", f"{origin}/feeds/author/bo-editor.atom.xml"
    # newsboat keeps one article per id: fetched apart, each format gives its own rows.
    _, rss_items = _newsboat(tmp_path / "rss", [rss])
    _, atom_items = _newsboat(tmp_path / "atom", [atom])
    assert rss_items[(rss, "Two Authors")]["author"] == "Ada Writer and Bo Editor"
    assert atom_items[(atom, "Two Authors")]["author"] == "Ada Writer, Bo Editor"


def test_newsboat_shows_the_full_text_with_absolute_links(served, tmp_path):
    origin, _ = served
    url = f"{origin}/feeds/all.atom.xml"
    _, items = _newsboat(tmp_path, [url])
    article = items[(url, "Two Authors")]
    assert LAST_PARAGRAPH in article["content"]
    assert f'href="{origin}/about/"' in article["content"]
    assert article["url"] == f"{origin}/2014/03/two-authors/"


def test_newsboat_gives_a_post_one_id_in_every_format(served, tmp_path):
    origin, _ = served
    for ending in (".rss.xml", ".atom.xml"):
        _, items = _newsboat(tmp_path / ending, [f"{origin}/feeds/all{ending}"])
        assert items[(f"{origin}/feeds/all{ending}", "Two Authors")]["guid"] == f"urn:uuid:{TWO_AUTHORS_ID}"


def test_newsboat_shows_a_syndication_feed_as_the_blog_itself(served, tmp_path):
    origin, _ = served
    url = f"{origin}/feeds/syndication/all-blog.rss.xml"
    feeds, items = _newsboat(tmp_path, [url])
    assert feeds[url] == ("YouTern Career Advice", f"{origin}/")
    content = BeautifulSoup(items[(url, "Two Authors")]["content"], "html.parser").get_text()
    assert "By Ada Writer and Bo Editor" in content
    assert "Acme Hiring" in content


def test_sfeed_shows_every_author_in_the_rss_author_field(served, tmp_path):
    origin, _ = served
    found = _sfeed(tmp_path, {"rss": f"{origin}/feeds/all.rss.xml"})
    authors = {item["title"]: item["author"] for item in found["rss"]}
    assert authors == {"Two Authors": "Ada Writer and Bo Editor", "Moved Post": "Ada Writer"}


def test_sfeed_shows_the_full_text_absolute_links_and_one_category_per_name(served, tmp_path):
    origin, _ = served
    found = _sfeed(tmp_path, {"rss": f"{origin}/feeds/all.rss.xml", "atom": f"{origin}/feeds/all.atom.xml"})
    for name in ("rss", "atom"):
        (item,) = [item for item in found[name] if item["title"] == "Two Authors"]
        assert LAST_PARAGRAPH in item["content"], name
        assert f'href="{origin}/about/"' in item["content"], name
        assert item["link"] == f"{origin}/2014/03/two-authors/", name
        assert item["id"] == f"urn:uuid:{TWO_AUTHORS_ID}", name
        categories = item["category"].split("|")
        assert len(categories) == len(set(categories)), name


def test_sfeed_reads_the_same_items_from_rss_and_atom(served, tmp_path):
    origin, _ = served
    found = _sfeed(tmp_path, {"rss": f"{origin}/feeds/all.rss.xml", "atom": f"{origin}/feeds/all.atom.xml"})
    assert [(item["id"], item["link"], item["timestamp"]) for item in found["rss"]] == [
        (item["id"], item["link"], item["timestamp"]) for item in found["atom"]
    ]


def _fetched_image(url):
    """(content type, pixel size) of the image at `url`, fetched as a reader fetches it."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.headers["Content-Type"], Image.open(io.BytesIO(response.read())).size


def test_sfeed_shows_the_featured_photo_as_a_jpeg_that_loads(served, tmp_path):
    origin, _ = served
    found = _sfeed(tmp_path, {"rss": f"{origin}/feeds/all.rss.xml", "atom": f"{origin}/feeds/all.atom.xml"})
    enclosures = {name: [item["enclosure"] for item in found[name] if item["title"] == "Moved Post"] for name in found}
    (photo,) = enclosures["rss"]
    assert enclosures["atom"] == [photo]
    assert photo.startswith(f"{origin}/images/renditions/desk-") and photo.endswith("-1200.jpg")
    assert _fetched_image(photo) == ("image/jpeg", (1200, 750))


def test_newsboat_shows_the_featured_photo_in_the_article(served, tmp_path):
    # newsboat keeps audio and video enclosures only (podcasts); its article view lists the
    # pictures of the text, as "[image 1 (link #2)]" with the picture's address.
    origin, _ = served
    url = f"{origin}/feeds/all.rss.xml"
    _, items = _newsboat(tmp_path, [url])
    image = BeautifulSoup(items[(url, "Moved Post")]["content"], "html.parser").find("img")
    assert image["alt"] == "A desk by a window"
    assert image["src"].startswith(f"{origin}/images/renditions/desk-")
    content_type, size = _fetched_image(image["src"])
    assert content_type in ("image/jpeg", "image/webp") and size[0] >= 400
