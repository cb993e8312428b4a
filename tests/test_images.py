"""Photos in, renditions and social cards out (issue 16): real fixture sites with photos
made here by Pillow, built for real; the output is read back with Pillow and BeautifulSoup."""

from pathlib import Path

import pytest
from images_support import GPS_IFD, ORIENTATION, opened, photo
from support import ROOT, build_site, files_under, minimal_files, post, soup, write_site

from tools.build import check

WIDTHS = (400, 800, 1200)
POST_PAGE = "2014/03/a-post/index.html"


def site(tmp_path, changes, **overrides):
    """Build the minimal site with `changes`; return the output folder."""
    files = minimal_files()
    files.update(changes)
    content = write_site(tmp_path / "site", files)
    output = tmp_path / "output"
    build_site(content, output, **overrides)
    return output


def problems_for(tmp_path, changes, **overrides):
    """`make check` on the minimal site with `changes`: every problem's line."""
    files = minimal_files()
    files.update(changes)
    content = write_site(tmp_path / "site", files)
    audit = check(ROOT / "pelicanconf.py", {"PATH": str(content), **overrides})
    return [str(problem) for problem in audit.problems]


def featured(**fields):
    return post(Image="images/photo.jpg", Image_alt="A desk by a window", **fields)


def local(output, url):
    """The file under `output` of a URL of the test site."""
    return Path(output) / url.split("://", 1)[1].split("/", 1)[1]


def srcset_files(output, srcset):
    return [(local(output, entry.split()[0]), int(entry.split()[1][:-1])) for entry in srcset.split(", ")]


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory):
    """A post with a phone photo turned by EXIF (orientation 6: shown upright it is
    1250x2000) holding a GPS position, a body image and a post without an image."""
    tmp_path = tmp_path_factory.mktemp("photos")
    body = "Look:\n\n![A chart of offers]({static}/images/chart.png)\n\nMore text."
    return site(
        tmp_path,
        {
            "posts/a-post.md": featured(body=body),
            "posts/plain.md": post("Plain Post", Date="2014-03-06 09:00", Series="test-series", Series_index="1"),
            "images/photo.jpg": photo(2000, 1250, orientation=6),
            "images/chart.png": photo(900, 600, gps=False, fmt="PNG"),
        },
    )


def test_featured_renditions_have_each_width_in_webp_and_jpeg_upright(photo_site):
    picture = soup(photo_site / POST_PAGE).select_one(".featured-image picture")
    (source,) = picture.find_all("source")
    assert source["type"] == "image/webp"
    image = picture.img
    for srcset, kind in ((source["srcset"], "WEBP"), (image["srcset"], "JPEG")):
        files = srcset_files(photo_site, srcset)
        assert [width for _, width in files] == list(WIDTHS)
        for path, width in files:
            fmt, size, _ = opened(path)
            # Upright: the photo is stored 2000x1250 and turned a quarter by its EXIF.
            assert (fmt, size) == (kind, (width, round(2000 * width / 1250)))
    assert (image["width"], image["height"]) == ("1200", "1920")
    assert image["decoding"] == "async"
    assert "loading" not in image.attrs  # the featured image is the page's largest paint
    assert image["alt"] == "A desk by a window"
    assert "42rem" in image["sizes"]


def test_renditions_and_the_published_original_carry_no_gps(photo_site):
    renditions = sorted((photo_site / "images" / "renditions").iterdir())
    assert len(renditions) == 12  # 3 widths x 2 types, for the photo and for the chart
    for path in renditions:
        _, _, exif = opened(path)
        assert dict(exif) == {}, path.name
    # The original is still published at its path for links to it, without GPS or the
    # camera's make, and with the orientation that keeps it upright.
    _, size, exif = opened(photo_site / "images" / "photo.jpg")
    assert size == (2000, 1250)
    assert exif.get_ifd(GPS_IFD) == {}
    assert dict(exif) == {ORIENTATION: 6}
    _, _, exif = opened(photo_site / "images" / "chart.png")
    assert dict(exif) == {}


def test_body_images_become_lazy_pictures(photo_site):
    body = soup(photo_site / POST_PAGE).select_one(".post-body")
    picture = body.picture
    assert picture is not None and body.find("img", recursive=True) is picture.img
    image = picture.img
    assert image["loading"] == "lazy" and image["decoding"] == "async"
    assert (image["width"], image["height"], image["alt"]) == ("900", "600", "A chart of offers")
    files = srcset_files(photo_site, "https://x/" + image["srcset"].replace(", /", ", https://x/").lstrip("/"))
    # The source is 900 px wide: 400 and 800, then its own width, never enlarged.
    assert [width for _, width in files] == [400, 800, 900]
    assert all(opened(path)[0] == "PNG" for path, _ in files)  # it has transparency: PNG


def test_every_page_has_a_1200x630_card(photo_site):
    for page in ("index.html", POST_PAGE, "2014/03/plain-post/index.html", "archives/index.html"):
        head = soup(photo_site / page).head
        url = head.find("meta", property="og:image")["content"]
        assert head.find("meta", attrs={"name": "twitter:image"})["content"] == url
        assert head.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
        assert head.find("meta", property="og:image:width")["content"] == "1200"
        assert opened(local(photo_site, url))[:2] == ("JPEG", (1200, 630)), page
    cards = {soup(photo_site / page).head.find("meta", property="og:image")["content"] for page in
             ("index.html", POST_PAGE, "2014/03/plain-post/index.html")}  # fmt: skip
    assert len(cards) == 3  # the site's, the photo's crop, and one drawn for the plain post


def test_feeds_carry_the_raster_rendition(photo_site):
    import json

    import feedparser

    rss = feedparser.parse((photo_site / "feeds" / "all.rss.xml").read_bytes())
    entry = next(e for e in rss.entries if e.title == "A Post")
    (enclosure,) = entry.enclosures
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == local(photo_site, enclosure.href).stat().st_size
    (media,) = entry.media_content
    assert (media["width"], media["height"], media["medium"]) == ("1200", "1920", "image")
    assert media["url"] == enclosure.href
    assert entry.media_thumbnail[0]["width"] == "400"
    atom = feedparser.parse((photo_site / "feeds" / "all.atom.xml").read_bytes())
    link = next(e for e in atom.entries if e.title == "A Post").enclosures[0]
    assert int(link.length) == int(enclosure.length)
    document = json.loads((photo_site / "feeds" / "all.feed.json").read_text(encoding="utf-8"))
    item = next(i for i in document["items"] if i["title"] == "A Post")
    assert item["image"] == enclosure.href
    assert opened(local(photo_site, item["banner_image"]))[1] == (1200, 630)


def test_two_builds_write_the_same_bytes_and_the_cache_converts_nothing(tmp_path, monkeypatch):
    from images import renditions

    files = minimal_files()
    files.update({"posts/a-post.md": featured(), "images/photo.jpg": photo(1600, 1000)})
    content = write_site(tmp_path / "site", files)
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "first", IMAGES_CACHE=True, IMAGES_CACHE_PATH=str(cache))

    def no_conversion(*args, **kwargs):
        raise AssertionError("an unchanged photo was converted again")

    monkeypatch.setattr(renditions, "convert", no_conversion)
    build_site(content, tmp_path / "second", IMAGES_CACHE=True, IMAGES_CACHE_PATH=str(cache))
    first, second = files_under(tmp_path / "first" / "images"), files_under(tmp_path / "second" / "images")
    assert first == second and len(first) == 9  # 6 renditions, 2 cards (post, site), the original


def test_a_kept_drawn_card_is_copied_not_drawn_and_a_lost_one_is_drawn_again(tmp_path, monkeypatch):
    from images import cards

    content = write_site(tmp_path / "site", {**minimal_files(), "posts/b.md": post("Another", Date="2014-03-06")})
    cache = tmp_path / "cache"
    build_site(content, tmp_path / "first", IMAGES_CACHE=True, IMAGES_CACHE_PATH=str(cache))
    kept = sorted((cache / "cards").glob("*.jpg"))
    assert len(kept) == 3  # the site's card and one drawn for each post

    def no_drawing(*args, **kwargs):
        raise AssertionError("a kept card was drawn again")

    with monkeypatch.context() as patched:
        patched.setattr(cards, "draw_card", no_drawing)
        build_site(content, tmp_path / "second", IMAGES_CACHE=True, IMAGES_CACHE_PATH=str(cache))
    first, second = files_under(tmp_path / "first"), files_under(tmp_path / "second")
    assert first == second
    # The output holds copies: a tool that edits the output in place leaves the cache alone.
    card = next((tmp_path / "second" / "images" / "cards").iterdir())
    assert all(not card.samefile(path) for path in kept)

    kept[0].unlink()
    build_site(content, tmp_path / "third", IMAGES_CACHE=True, IMAGES_CACHE_PATH=str(cache))
    assert files_under(tmp_path / "third") == first
    assert kept[0].is_file()


def test_an_image_focus_moves_the_card_crop(tmp_path):
    centre = site(tmp_path / "a", {"posts/a-post.md": featured(), "images/photo.jpg": photo(2400, 1000)})
    left = site(
        tmp_path / "b",
        {"posts/a-post.md": featured(Image_focus="0%, 50%"), "images/photo.jpg": photo(2400, 1000)},
    )

    def card(output):
        return local(output, soup(output / POST_PAGE).head.find("meta", property="og:image")["content"]).read_bytes()

    assert card(centre) != card(left)


def test_an_svg_featured_image_stays_as_it_is_with_a_drawn_card(tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>\n'
    output = site(tmp_path, {"posts/a-post.md": post(Image="images/x.svg", Image_alt="Shapes"), "images/x.svg": svg})
    page = soup(output / POST_PAGE)
    assert page.select_one(".featured-image img")["src"].endswith("/images/x.svg")
    assert page.select_one(".featured-image picture") is None
    card = page.head.find("meta", property="og:image")["content"]
    assert opened(local(output, card))[:2] == ("JPEG", (1200, 630))


def test_hostile_alt_text_stays_text(tmp_path):
    alt = 'x" onerror="alert(1)"><script>alert(2)</script>'
    body = f"![{alt}]({{static}}/images/chart.png)"
    output = site(
        tmp_path,
        {
            "posts/a-post.md": post(Image="images/photo.jpg", Image_alt=alt, body=body),
            "images/photo.jpg": photo(1600, 1000),
            "images/chart.png": photo(900, 600, gps=False, fmt="PNG"),
        },
    )
    page = soup(output / POST_PAGE)
    assert page.find("script", string="alert(2)") is None
    images = page.select(".featured-image img, .post-body img")
    assert len(images) == 2
    for image in images:
        assert "onerror" not in image.attrs
    assert images[0]["alt"] == alt


# --- make check: each problem with its exact line ------------------------------------------


def test_a_photo_too_small_for_the_layout(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": featured(), "images/photo.jpg": photo(640, 480)})
    assert problems == [
        "content/posts/a-post.md:6: Image: 'images/photo.jpg' is 640x480 px, narrower than the 800 px the post "
        "page shows it at; use a picture at least 800 px wide (1,200 px or more for sharp social cards)"
    ]


def test_a_photo_too_big_to_accept(tmp_path):
    problems = problems_for(
        tmp_path, {"posts/a-post.md": featured(), "images/photo.jpg": photo(1600, 1000)}, IMAGES_MAX_BYTES=10_000
    )
    (problem,) = problems
    assert problem.startswith("content/posts/a-post.md:6: Image: 'images/photo.jpg' is 0.")
    assert problem.endswith(
        "MB, more than the 0.0 MB the build accepts; save it smaller (2,000-4,000 px wide is plenty), "
        "e.g. as JPEG at quality 85"
    )


def test_a_photo_with_too_many_pixels(tmp_path):
    problems = problems_for(
        tmp_path, {"posts/a-post.md": featured(), "images/photo.jpg": photo(1600, 1000)}, IMAGES_MAX_PIXELS=1_000_000
    )
    assert problems == [
        "content/posts/a-post.md:6: Image: 'images/photo.jpg' is 1,600x1,000 px (2 megapixels), more than the 1 "
        "the build accepts; scale it down to at most 4,000 px wide"
    ]


def test_a_file_that_is_no_photo(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": featured(), "images/photo.jpg": "not a picture\n"})
    assert "content/posts/a-post.md:6: Image: 'images/photo.jpg' is not a JPEG, PNG or WebP picture; " \
        "export it again as JPEG, PNG or WebP" in problems  # fmt: skip


def test_a_name_that_differs_in_case(tmp_path):
    problems = problems_for(
        tmp_path, {"posts/a-post.md": post(Image="images/Photo.JPG", Image_alt="A desk"), "images/photo.jpg": photo()}
    )
    assert problems == [
        "content/posts/a-post.md:6: Image: file 'images/Photo.JPG' not found in content/: the name differs in case "
        "from 'images/photo.jpg'; did you mean 'images/photo.jpg'? The site's server tells capitals apart"
    ]


def test_a_missing_photo_with_a_near_name(tmp_path):
    problems = problems_for(
        tmp_path, {"posts/a-post.md": post(Image="images/phot.jpg", Image_alt="A desk"), "images/photo.jpg": photo()}
    )
    assert problems == [
        "content/posts/a-post.md:6: Image: file 'images/phot.jpg' not found in content/; "
        "did you mean 'images/photo.jpg'?"
    ]


def test_a_photo_beside_the_post(tmp_path):
    files = {"posts/a-post.md": post(Image="photo.jpg", Image_alt="A desk"), "posts/photo.jpg": photo(1600, 1000)}
    assert problems_for(tmp_path / "check", files) == []
    output = site(tmp_path / "build", files)
    assert soup(output / POST_PAGE).select_one(".featured-image picture img")["width"] == "1200"


def test_a_photo_without_alt_text(tmp_path):
    problems = problems_for(tmp_path, {"posts/a-post.md": post(Image="images/photo.jpg"), "images/photo.jpg": photo()})
    assert problems == [
        "content/posts/a-post.md:6: Image: image without alt text; add 'Image_alt: <what the image shows>'"
    ]


def test_a_body_photo_without_alt_text(tmp_path):
    body = "Text.\n\n![]({static}/images/photo.jpg)\n"
    problems = problems_for(tmp_path, {"posts/a-post.md": post(body=body), "images/photo.jpg": photo()})
    assert problems == [
        "content/posts/a-post.md:10: body: image '{static}/images/photo.jpg' has no alt text; "
        "write what it shows between the brackets: ![what the image shows](...)"
    ]


def test_a_focal_point_that_is_not_one(tmp_path):
    problems = problems_for(
        tmp_path, {"posts/a-post.md": featured(Image_focus="left"), "images/photo.jpg": photo(1600, 1000)}
    )
    assert problems == [
        "content/posts/a-post.md:8: Image_focus: 'left' is not a focal point; "
        "write how far across and down the subject is, e.g. 'Image_focus: 30%, 40%'"
    ]


def test_a_fresh_process_writes_the_same_images_and_pages(tmp_path):
    """The reference is built by Pelican alone in a new process (no fastbuild, nothing left
    by an earlier build here): every rendition, card and page has the same bytes."""
    from support import assert_same_folders, build_with_pelican_alone

    files = minimal_files()
    body = "![A chart of offers]({static}/images/chart.png)"
    files.update(
        {
            "posts/a-post.md": featured(Image_focus="30%, 40%", body=body),
            "posts/plain.md": post("Plain Post", Date="2014-03-06 09:00"),
            "images/photo.jpg": photo(1800, 1200, orientation=3),
            "images/chart.png": photo(700, 500, gps=False, fmt="PNG"),
        }
    )
    content = write_site(tmp_path / "site", files)
    build_site(content, tmp_path / "ours")
    build_with_pelican_alone(content, tmp_path / "reference")
    assert_same_folders(tmp_path / "reference", tmp_path / "ours")


def test_a_damaged_photo_nobody_names_stops_the_build(tmp_path):
    problems = problems_for(tmp_path, {"images/broken.jpg": "not a picture\n"})
    assert problems == [
        "content/images/broken.jpg: file: cannot be published (it is not a JPEG, PNG or WebP picture); "
        "export it again as JPEG, PNG or WebP"
    ]
