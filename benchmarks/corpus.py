"""A deterministic synthetic site for the build benchmark.

    python -m benchmarks.corpus N FOLDER [--seed 8]

`write_corpus(folder, posts)` writes FOLDER/content with `posts` Markdown posts of about
1,000 words each and every kind of content our pipeline handles: 8 categories, 60 tags,
40 author profiles (some with avatars and links, some affiliated with a partner), 5
partner profiles with logos and syndication terms, guest posts crediting them, series
with numbered parts, featured images with alt text and credits, stable Ids, summaries,
Modified dates, intra-site `{filename}` links, lists, quotes, tables and footnotes.
The same (posts, seed) always gives byte-identical files, so two runs of the benchmark
build the same site. The corpus passes our content audit (`make check`).
"""

import argparse
import random
import textwrap
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

SEED = 8
CATEGORIES = (
    "Job Interviews",
    "Job Offers",
    "Career Moves",
    "Internships",
    "Networking",
    "Resumes",
    "Workplace Skills",
    "Personal Branding",
)
TAGS = tuple(
    """Recruiters; Interview Preparation; Passive Candidates; Career Change; Negotiation;
    Salary; Counter-Offers; Resignation; Feedback; Cover Letters; LinkedIn; References;
    Phone Screens; Video Interviews; Behavioral Questions; Portfolio; Mentors; First Job;
    Graduate School; Remote Work; Time Management; Communication; Teamwork; Leadership;
    Confidence; Rejection; Job Fairs; Informational Interviews; Cold Emails; Follow-Up;
    Thank-You Notes; Soft Skills; Hard Skills; Certifications; Side Projects; Volunteering;
    Networking Events; Elevator Pitch; Personal Website; Social Media; Onboarding;
    Probation; Performance Reviews; Promotions; Office Politics; Burnout; Work-Life Balance;
    Freelancing; Startups; Nonprofits; Government Jobs; Relocation; Internship Offers;
    Return Offers; Unpaid Internships; Skills Gap; Career Fairs; Alumni; Job Boards;
    Applicant Tracking Systems""".replace("\n", " ").split(";")
)
TAGS = tuple(tag.strip() for tag in TAGS)
FIRST_NAMES = (
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Imani", "Jonas", "Keiko", "Luis", "Mara",
    "Nikhil", "Olga", "Pavel", "Quinn", "Rosa", "Sami", "Tara", "Umar", "Vera", "Wes", "Xin", "Yara", "Zane",
    "Anouk", "Bruno", "Carmen", "Dmitri", "Esther", "Felix", "Gita", "Hugo", "Ines", "Jamal", "Kira", "Leon",
    "Mina", "Noor",
)  # fmt: skip
LAST_NAMES = (
    "Okafor", "Reyes", "Lindqvist", "Tanaka", "Moreau", "Haddad", "Novak", "Mensah", "Ferreira", "Kowalski",
    "Brennan", "Adeyemi", "Castillo", "Nakamura", "Petrov", "Sorensen", "Quinlan", "Abara", "Varga", "Duarte",
    "Whitfield", "Osei", "Laurent", "Ivanova", "Park", "Rahman", "Delgado", "Fischer", "Nguyen", "Baptiste",
    "Halloran", "Mwangi", "Romero", "Eriksen", "Yilmaz", "Costa", "Ambrose", "Kaur", "Silva", "Hartmann",
)  # fmt: skip
ROLES = ("Staff Writer", "Career Coach", "Recruiter", "Editor", "Hiring Manager", "Guest Contributor")
PARTNERS = (
    ("northwind-careers", "Northwind Careers", "all", "nofollow"),
    ("bright-path-recruiting", "Bright Path Recruiting", "none", "sponsored"),
    ("campus-signal", "Campus Signal", "Internships, Job Interviews", "nofollow"),
    ("first-rung", "First Rung", "Resumes, Networking, Career Moves", "nofollow"),
    ("talent-harbor", "Talent Harbor", "none", "sponsored nofollow"),
)
AUTHOR_COUNT = 40
GUEST_AUTHORS = 10  # the first ones, each affiliated with a partner
SERIES_COUNT = 12
SERIES_PARTS = 6
IMAGES = ("interview", "offer", "network", "resume", "desk", "compass")
START = datetime(2010, 1, 4, 9, 0)
SITE_NAME = "YouTern"

WORDS = (
    "career", "interview", "recruiter", "offer", "resume", "candidate", "manager", "team", "skill",
    "experience", "role", "company", "question", "answer", "salary", "internship", "network", "contact",
    "mentor", "feedback", "project", "goal", "plan", "week", "month", "year", "first", "next", "last", "good",
    "better", "best", "clear", "honest", "simple", "practical", "useful", "strong", "quiet", "early", "late",
    "new", "old", "small", "big", "real", "hard", "easy", "quick", "careful", "ask", "listen", "write", "read",
    "call", "meet", "prepare", "follow", "share", "learn", "practice", "review", "choose", "decide", "change",
    "move", "start", "finish", "improve", "explain", "describe", "show", "build", "keep", "leave", "join",
    "hiring", "process", "application", "letter", "email", "phone", "conversation", "meeting", "coffee",
    "event", "fair", "employer", "colleague", "friend", "classmate", "professor", "alumni", "reference",
    "portfolio", "profile", "story", "example", "result", "number", "detail", "moment", "reason", "problem",
    "solution", "habit", "routine", "schedule", "deadline", "priority", "value", "strength", "weakness",
    "growth", "opportunity", "risk", "trade-off", "decision", "because", "although", "while", "when", "before",
    "after", "during", "until", "unless", "since", "so", "yet", "and", "but", "or", "you", "your", "they",
    "their", "we", "our", "it", "its", "this", "that", "these", "those", "every", "each", "some", "most",
    "many", "few", "the", "a", "an", "of", "to", "in", "on", "for", "with", "about", "from", "by", "at", "as",
    "into", "over", "under", "through", "between",
)  # fmt: skip
HEADINGS = (
    "Start with what you know",
    "Ask the right questions",
    "What recruiters notice",
    "Prepare before the call",
    "Follow up the right way",
    "Mistakes to avoid",
    "Make it a habit",
    "When the answer is no",
    "Weigh the trade-offs",
    "Put it in writing",
    "What to do this week",
    "Keep your network warm",
)
TITLE_PATTERNS = (
    "How to {verb} Your {noun}",
    "Why Your {noun} Matters More Than You Think",
    "{number} Ways to {verb} Your {noun}",
    "What Recruiters Look for in Your {noun}",
    "The Quiet Art of {gerund} Your {noun}",
    "A Beginner's Guide to {gerund} Your {noun}",
)
TITLE_VERBS = (
    ("Improve", "Improving"),
    ("Rethink", "Rethinking"),
    ("Strengthen", "Strengthening"),
    ("Present", "Presenting"),
    ("Plan", "Planning"),
    ("Protect", "Protecting"),
)
TITLE_NOUNS = (
    "Resume",
    "First Interview",
    "Internship Search",
    "Network",
    "Salary Offer",
    "Career Change",
    "LinkedIn Profile",
    "Cover Letter",
    "Job Search",
    "Reference List",
)


@dataclass(frozen=True)
class Corpus:
    """Where a written corpus lives and what it holds."""

    root: Path
    content: Path
    posts: int
    post_files: tuple  # content-relative paths, in writing (chronological) order


def slug_of(text):
    """Lowercase words joined by hyphens (what Pelican's slugify gives for our titles)."""
    cleaned = "".join(char.lower() if char.isalnum() else " " for char in text.replace("'", ""))
    return "-".join(cleaned.split())


def author_ids():
    """The 40 author ids, in profile order (the first GUEST_AUTHORS are partner-affiliated)."""
    return [slug_of(f"{first} {last}") for first, last in zip(FIRST_NAMES, LAST_NAMES, strict=True)][:AUTHOR_COUNT]


def svg(label, hue):
    """A small square SVG with a label, standing in for a photo or logo."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="160" viewBox="0 0 160 160">'
        f'<rect width="160" height="160" fill="hsl({hue},55%,85%)"/>'
        f'<text x="80" y="88" font-size="18" text-anchor="middle" fill="#222">{label}</text></svg>\n'
    )


def sentence(rng, low=8, high=20):
    """One sentence of career-advice-flavoured words, capitalised and ended."""
    words = rng.choices(WORDS, k=rng.randint(low, high))
    if rng.random() < 0.25:
        index = rng.randrange(len(words))
        words[index] = f"**{words[index]}**" if rng.random() < 0.5 else f"*{words[index]}*"
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def paragraph(rng, sentences=(4, 7)):
    """A paragraph of a few sentences."""
    return " ".join(sentence(rng) for _ in range(rng.randint(*sentences)))


def wrap(text):
    """Wrap prose at 100 columns, as editors' files are."""
    return textwrap.fill(text, width=100, break_long_words=False, break_on_hyphens=False)


def post_body(rng, index, earlier_files):
    """About 1,000 words of Markdown: intro, sections with lists, quotes, links and extras."""
    blocks = [wrap(paragraph(rng)), wrap(paragraph(rng))]
    if earlier_files and rng.random() < 0.3:
        target = earlier_files[rng.randrange(len(earlier_files))]
        blocks.append(
            wrap(f"We covered a related question [in an earlier post]({{filename}}{target}). {sentence(rng)}")
        )
    for heading in rng.sample(HEADINGS, 4):
        blocks.append(f"## {heading}")
        blocks.append(wrap(paragraph(rng)))
        kind = rng.random()
        if kind < 0.35:
            blocks.append("\n".join(f"- {sentence(rng, 5, 12)}" for _ in range(rng.randint(3, 6))))
        elif kind < 0.55:
            blocks.append("\n".join(f"{n}. {sentence(rng, 5, 12)}" for n in range(1, rng.randint(4, 6))))
        elif kind < 0.65:
            blocks.append("> " + wrap(paragraph(rng, (2, 3))).replace("\n", "\n> "))
        blocks.append(wrap(paragraph(rng)))
        if rng.random() < 0.2:
            blocks.append(wrap(f"{sentence(rng)} See [this guide](https://example.org/guides/{index}) for more."))
    if index % 25 == 7:
        rows = "\n".join(f"| {rng.choice(WORDS)} | {rng.randint(1, 99)} |" for _ in range(4))
        blocks.append(f"| Item | Weeks |\n|---|---:|\n{rows}")
    if index % 30 == 11:
        blocks.append(wrap(f"{sentence(rng)}[^1]") + f"\n\n[^1]: {sentence(rng)}")
    blocks.append(wrap(paragraph(rng)))
    return "\n\n".join(blocks) + "\n"


def header(fields):
    """`Key: value` lines for the fields that are set."""
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value not in (None, ""))


def write(path, text):
    """Write UTF-8 text with LF line ends, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def write_profiles(content, rng):
    """Partners, authors, series and the images they use; return the author ids."""
    for number, name in enumerate(IMAGES):
        write(content / "images" / f"{name}.svg", svg(name, number * 60))
    for number, (partner_id, name, syndicate, rel) in enumerate(PARTNERS):
        fields = {
            "Name": name,
            "Url": f"https://{partner_id}.example/",
            "Logo": f"images/logo-{partner_id}.svg" if number % 2 == 0 else None,
            "Rel": rel,
            "Syndicate": syndicate,
        }
        if fields["Logo"]:
            write(content / fields["Logo"], svg(name.split()[0], 200 + number * 30))
        write(content / "partners" / f"{partner_id}.md", header(fields) + "\n" + wrap(paragraph(rng)) + "\n")
    ids = author_ids()
    for number, author_id in enumerate(ids):
        name = f"{FIRST_NAMES[number]} {LAST_NAMES[number]}"
        guest = number < GUEST_AUTHORS
        fields = {
            "Name": name,
            "Role": "Guest Contributor" if guest else ROLES[number % (len(ROLES) - 1)],
            "Affiliation": PARTNERS[number % len(PARTNERS)][0] if guest else None,
            "Avatar": f"images/avatar-{author_id}.svg" if number % 3 == 0 else None,
            "Links": (
                f"Website https://example.org/people/{author_id}, LinkedIn https://www.linkedin.com/in/{author_id}"
                if number % 2 == 0
                else None
            ),
        }
        if fields["Avatar"]:
            write(content / fields["Avatar"], svg(name[:1], number * 9))
        bio = wrap(f"{name} writes about careers for {SITE_NAME}. {paragraph(rng, (2, 4))}")
        write(content / "authors" / f"{author_id}.md", header(fields) + "\n" + bio + "\n")
    for number in range(SERIES_COUNT):
        fields = {"Name": f"{TITLE_NOUNS[number % len(TITLE_NOUNS)]} Bootcamp {number + 1}"}
        write(content / "series" / f"bootcamp-{number + 1}.md", header(fields) + "\n" + wrap(paragraph(rng)) + "\n")
    write(content / "extra" / "favicon.svg", svg("Y", 30))
    for slug, title in (("about", "About"), ("write-for-us", "Write for Us")):
        write(content / "pages" / f"{slug}.md", f"Title: {title}\n\n{wrap(paragraph(rng))}\n\n{wrap(paragraph(rng))}\n")
    return ids


def series_slots(posts):
    """{post index: (series number, part number)}: parts spread evenly through the corpus."""
    slots = min(SERIES_COUNT * SERIES_PARTS, posts // 3)
    step = max(1, posts // max(1, slots))
    chosen = [1 + position * step for position in range(slots) if 1 + position * step < posts]
    parts = {}
    counts = [0] * SERIES_COUNT
    for position, index in enumerate(chosen):
        series = position % SERIES_COUNT
        counts[series] += 1
        parts[index] = (series + 1, counts[series])
    return parts


def post_fields(rng, index, ids, series):
    """The header of post number `index`."""
    verb, gerund = rng.choice(TITLE_VERBS)
    title = rng.choice(TITLE_PATTERNS).format(
        verb=verb, gerund=gerund, noun=rng.choice(TITLE_NOUNS), number=rng.randint(3, 12)
    )
    title = f"{title}, Take {index + 1}"
    date = START + timedelta(hours=9 * index, minutes=rng.randrange(60))
    staff = ids[GUEST_AUTHORS:]
    fields = {
        "Title": title,
        "Id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "Date": date.strftime("%Y-%m-%d %H:%M"),
        "Modified": (date + timedelta(days=rng.randint(1, 90))).strftime("%Y-%m-%d %H:%M") if index % 10 == 3 else None,
        "Category": rng.choice(CATEGORIES),
        "Tags": ", ".join(rng.sample(TAGS, rng.choice((2, 3, 3, 3, 4, 5)))),
        "Authors": rng.choice(staff),
        "Partner": None,
        "Series": None,
        "Series_index": None,
        "Summary": sentence(rng, 14, 28) if index % 2 == 0 else None,
        "Syndicate": "no" if index % 33 == 5 else None,
    }
    if index % 10 == 4:  # a guest post: a partner-affiliated author, sometimes with staff
        guest_number = rng.randrange(GUEST_AUTHORS)
        fields["Partner"] = PARTNERS[guest_number % len(PARTNERS)][0]
        fields["Authors"] = ids[guest_number] + (f", {rng.choice(staff)}" if rng.random() < 0.3 else "")
    elif rng.random() < 0.1:
        fields["Authors"] = ", ".join(rng.sample(staff, 2))
    if index in series:
        number, part = series[index]
        fields["Series"], fields["Series_index"] = f"bootcamp-{number}", part
    if rng.random() < 0.3:
        image = rng.choice(IMAGES)
        fields["Image"] = f"images/{image}.svg"
        fields["Image_alt"] = f"An illustration labelled {image}"
        if rng.random() < 0.5:
            fields["Image_credit"] = SITE_NAME
            if rng.random() < 0.5:
                fields["Image_credit_url"] = "https://example.org/illustrations/"
    return fields


def write_corpus(root, posts, seed=SEED):
    """Write a corpus of `posts` posts under `root`/content; return its Corpus."""
    root = Path(root)
    content = root / "content"
    rng = random.Random(seed)
    ids = write_profiles(content, rng)
    series = series_slots(posts)
    files = []
    for index in range(posts):
        fields = post_fields(rng, index, ids, series)
        name = f"{slug_of(fields['Title'])}.md"
        body = post_body(rng, index, files)
        write(content / "posts" / name, header(fields) + "\n" + body)
        files.append(name)
    return Corpus(root=root, content=content, posts=posts, post_files=tuple(f"posts/{name}" for name in files))


def edit_post(corpus, revision):
    """Change one post in the middle of the corpus (as an editor would) and return its path.

    `revision` makes each edit different, so no cache can have seen the result before.
    """
    path = corpus.content / corpus.post_files[len(corpus.post_files) // 2]
    text = path.read_text(encoding="utf-8")
    marker = "\n\nEditor's note, revision "
    text = text.split(marker)[0].rstrip("\n")
    path.write_text(f"{text}{marker}{revision}: this post was updated.\n", encoding="utf-8", newline="\n")
    return path


def main(argv=None):
    """Command-line entry point: write a corpus."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("posts", type=int)
    parser.add_argument("folder")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    corpus = write_corpus(args.folder, args.posts, args.seed)
    print(f"Wrote {corpus.posts} posts to {corpus.content}")


if __name__ == "__main__":
    main()
