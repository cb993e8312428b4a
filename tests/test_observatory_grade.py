"""Mozilla's HTTP Observatory grade of the headers we ship, computed by its published scoring.

Source: the MDN HTTP Observatory, https://github.com/mdn/mdn-http-observatory (scoring
algorithm version 6, read at commit 94042bb):
- src/scanner/index.js `analyzeScan`: the score starts at 100 and every test adds its
  modifier; the bonuses (positive modifiers) count only when the score with the penalties
  alone is at least 90 (MINIMUM_SCORE_FOR_EXTRA_CREDIT).
- src/grader/grader.js `getGradeForScore` and src/grader/charts.js `GRADE_CHART`: the grade
  of the score rounded down to a multiple of 5, anything from 100 up being A+.
- src/grader/charts.js `SCORE_TABLE`: the modifier of each result (copied below).
- src/analyzer/tests/*.js: one function per test, deciding the result and whether it passes
  (re-implemented below for the cases a static site's headers can reach).
The tests that need a live server read the deployment we document instead: redirection
(the nginx example in docs/deploying.md; Netlify and Cloudflare Pages redirect by
themselves) and cookies (a static site sets none). The HSTS preload list bonus is left out:
it depends on a list, not on our headers.
"""

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from support import TEST_SITEURL
from test_security_headers import nginx_blocks, parse_headers_file

# SCORE_TABLE: result -> modifier, for every result the functions below can give.
MODIFIERS = {
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    "cookies-not-found": 0,
    "cookies-present": -20,  # stands for every cookie result but the +5 one: we set none
    "cross-origin-embedder-policy-implemented": 10,
    "cross-origin-embedder-policy-implemented-with-unsafe-none": 0,
    "cross-origin-embedder-policy-not-implemented": 0,
    "cross-origin-embedder-policy-header-invalid": -5,
    "cross-origin-opener-policy-implemented": 10,
    "cross-origin-opener-policy-implemented-with-unsafe-none": 0,
    "cross-origin-opener-policy-not-implemented": 0,
    "cross-origin-opener-policy-header-invalid": -5,
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "redirection-to-https": 0,
    "redirection-missing": -20,
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "sri-implemented-and-all-scripts-loaded-securely": 5,
    "sri-implemented-and-external-scripts-loaded-securely": 5,
    "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 5,
    "x-frame-options-allow-from-origin": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    "corp-implemented-with-same-origin": 10,
    "corp-implemented-with-same-site": 10,
    "corp-implemented-with-cross-origin": 0,
    "corp-not-implemented": 0,
    "corp-header-invalid": -5,
}
# GRADE_CHART, from 100 down in steps of 5.
GRADES = ["A+", "A", "A", "A-", "B+", "B", "B", "B-", "C+", "C", "C", "C-", "D+", "D", "D", "D-", "F", "F", "F", "F"]
MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90
SIX_MONTHS = 15_552_000
SITE_HOST = urlsplit(TEST_SITEURL).hostname

# csp.js
DANGEROUSLY_BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
PASSIVE_DIRECTIVES = ("img-src", "media-src")
# cspParser.js: what a <meta> policy loses.
DIRECTIVES_DISALLOWED_IN_META = ("frame-ancestors", "report-uri", "sandbox")


class InvalidPolicy(ValueError):
    """cspParser.js throws: the CSP test's result is csp-header-invalid."""


def parse_policy(text):
    """One policy as {directive: [sources]} (cspParser.js `parseCsp` for one policy)."""
    text = re.sub(r"[\r\n]", "", text).strip()
    if len(text) < len("img-src") - 1:
        raise InvalidPolicy(text)
    policy = {}
    for entry in text.split(";"):
        directive, *sources = entry.strip().split() or [""]
        if not directive:
            continue
        directive = directive.lower()
        if directive in policy and directive not in ("report-uri", "report-to"):
            raise InvalidPolicy(f"duplicate {directive}")
        sources = [source.lower() for source in sources]
        if not sources and directive.endswith("-src"):
            sources = ["'none'"]
        # Within one policy, a source starting with the one before it adds nothing.
        ordered = sorted(sources)
        policy[directive] = [s for i, s in enumerate(ordered) if i == 0 or not s.startswith(ordered[i - 1])]
    return policy


def combine(policies):
    """The effective policy of several (cspParser.js): a later policy keeps only the sources
    the earlier ones also allow (compared whole here; the original also matches paths)."""
    combined = {}
    for index, policy in enumerate(policies):
        for directive, sources in policy.items():
            if index == 0:
                combined[directive] = sources
            else:
                kept = [source for source in sources if source in combined.get(directive, [])]
                combined[directive] = kept or ["'none'"]
    return combined


def csp_test(headers, meta_policies):
    """(result, pass, effective policy or None): csp.js `contentSecurityPolicyTest`."""
    header_policies = [p.strip() for value in headers.get_all("Content-Security-Policy") for p in value.split(",")]
    meta_policies = [p.strip() for value in meta_policies for p in value.split(",")]
    try:
        csp = combine([parse_policy(p) for p in header_policies + meta_policies])
    except InvalidPolicy:
        return "csp-header-invalid", False, None
    if not csp:
        return "csp-not-implemented", False, None
    if any(
        source.startswith(("'nonce-", "'sha")) or source == "'strict-dynamic'" for s in csp.values() for source in s
    ):
        raise NotImplementedError("nonces, hashes and strict-dynamic are not graded here")
    default = csp.get("default-src")
    script = set(csp.get("script-src", default or ["*"]))
    style = set(csp.get("style-src", default or ["*"]))
    objects = set(csp.get("object-src", default or ["*"]))
    active = [s for d, sources in csp.items() if d not in (*PASSIVE_DIRECTIVES, "script-src") for s in sources]
    active += script
    passive = [s for d in PASSIVE_DIRECTIVES for s in csp.get(d, default or [])]
    checks = [
        (
            script & (DANGEROUSLY_BROAD | UNSAFE_INLINE) or objects & DANGEROUSLY_BROAD,
            "csp-implemented-with-unsafe-inline",
        ),
        (any(s.startswith(("http:", "ftp:")) for s in active), "csp-implemented-with-insecure-scheme"),
        ("'unsafe-eval'" in script | style, "csp-implemented-with-unsafe-eval"),
        (
            any(s.startswith(("http:", "ftp:")) for s in passive),
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
        ),
        (style & (DANGEROUSLY_BROAD | UNSAFE_INLINE), "csp-implemented-with-unsafe-inline-in-style-src-only"),
        (default == ["'none'"], "csp-implemented-with-no-unsafe-default-src-none"),
        (True, "csp-implemented-with-no-unsafe"),
    ]
    result = next(name for failed, name in checks if failed)
    passing = (
        "csp-implemented-with-no-unsafe",
        "csp-implemented-with-no-unsafe-default-src-none",
        "csp-implemented-with-unsafe-inline-in-style-src-only",
        "csp-implemented-with-insecure-scheme-in-passive-content-only",
    )
    return result, result in passing, csp


def cookies_test(headers):
    """cookies.js: a site that sets no cookie passes with no modifier."""
    return ("cookies-present", False) if headers.get_all("Set-Cookie") else ("cookies-not-found", True)


def cross_origin_policy_test(headers, name, prefix, good):
    """cross-origin-embedder-policy.js and cross-origin-opener-policy.js."""
    values = headers.get_all(name)
    if not values:
        return f"{prefix}-not-implemented", True
    token = values[0].strip().lower()
    if len(values) > 1 or token not in (*good, "unsafe-none"):
        return f"{prefix}-header-invalid", False
    return (f"{prefix}-implemented-with-unsafe-none" if token == "unsafe-none" else f"{prefix}-implemented"), True


def cors_test(headers):
    """cors.js: a static file's Access-Control-Allow-Origin never echoes the asker's origin,
    so it can only be public or restricted, both passing."""
    value = (headers.get("Access-Control-Allow-Origin") or "").strip()
    if not value:
        return "cross-origin-resource-sharing-not-implemented", True
    if value == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access", True
    return "cross-origin-resource-sharing-implemented-with-restricted-access", True


def redirection_test(http_redirects_to_https):
    """redirection.js, for a host that answers http:// with a redirect to https:// on the same
    host (or does not)."""
    return ("redirection-to-https", True) if http_redirects_to_https else ("redirection-missing", False)


def referrer_policy_test(headers, meta_referrer):
    """referrer-policy.js: the last valid policy of the header and <meta name="referrer">."""
    good = ("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin")
    bad = ("origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade")
    values = headers.get_all("Referrer-Policy") + meta_referrer
    if not values:
        return "referrer-policy-not-implemented", True
    valid = [v.strip().lower() for v in ", ".join(values).split(",") if v.strip().lower() in good + bad]
    policy = valid[-1] if valid else ""
    if policy in good:
        return "referrer-policy-private", True
    return ("referrer-policy-unsafe" if policy in bad else "referrer-policy-header-invalid"), False


def hsts_test(headers):
    """strict-transport-security.js (the preload list left out)."""
    values = headers.get_all("Strict-Transport-Security")
    if not values:
        return "hsts-not-implemented", False
    value = values[0][:1024]
    ages = [p.strip().lower()[8:] for p in value.split(";") if p.strip().lower().startswith("max-age=")]
    if "," in value or not ages or not ages[-1].isdigit():
        return "hsts-header-invalid", False
    if int(ages[-1]) < SIX_MONTHS:
        return "hsts-implemented-max-age-less-than-six-months", False
    return "hsts-implemented-max-age-at-least-six-months", True


def sri_test(document, site_host):
    """subresource-integrity.js over the page's <script> elements (a script on our own host,
    by a relative or an absolute https URL, is 'from a secure origin')."""
    scripts = document.find_all("script")
    if not scripts:
        return "sri-not-implemented-but-no-scripts-loaded", True
    results = []
    for script in scripts:
        src = script.get("src")
        if not src:
            continue
        url = urlsplit(src)
        secure = url.scheme == "https" or (not url.scheme and not src.startswith("//"))
        if (not url.netloc or url.hostname == site_host) and not src.startswith("//"):
            if script.get("integrity") and secure:
                results.append("sri-implemented-and-all-scripts-loaded-securely")
            continue
        if not secure:
            results.append("sri-not-implemented-and-external-scripts-not-loaded-securely")
        elif not script.get("integrity"):
            results.append("sri-not-implemented-but-external-scripts-loaded-securely")
        else:
            results.append("sri-implemented-and-external-scripts-loaded-securely")
    if not results:
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", True
    worst = min(results, key=MODIFIERS.get)
    return worst, MODIFIERS[worst] >= 0


def x_content_type_options_test(headers):
    """x-content-type-options.js"""
    value = headers.get("X-Content-Type-Options")
    if value is None:
        return "x-content-type-options-not-implemented", False
    ok = value.strip().lower() == "nosniff"
    return ("x-content-type-options-nosniff" if ok else "x-content-type-options-header-invalid"), ok


def x_frame_options_test(headers, csp):
    """x-frame-options.js: frame-ancestors in the CSP header replaces the header."""
    # Any frame-ancestors counts; a <meta> policy has none (parseCspMeta removed it).
    if csp and "frame-ancestors" in csp:
        return "x-frame-options-implemented-via-csp", True
    value = (headers.get("X-Frame-Options") or "").strip().lower()
    if not value:
        return "x-frame-options-not-implemented", False
    if value in ("deny", "sameorigin"):
        return "x-frame-options-sameorigin-or-deny", True
    if value.startswith("allow-from"):
        return "x-frame-options-allow-from-origin", True
    return "x-frame-options-header-invalid", False


def corp_test(headers):
    """cross-origin-resource-policy.js"""
    value = ", ".join(headers.get_all("Cross-Origin-Resource-Policy"))[:256].strip().lower()
    if not value:
        return "corp-not-implemented", True
    results = {"same-site": "corp-implemented-with-same-site", "same-origin": "corp-implemented-with-same-origin"}
    results["cross-origin"] = "corp-implemented-with-cross-origin"
    return (results[value], True) if value in results else ("corp-header-invalid", False)


class Headers:
    """Response headers, names compared without case."""

    def __init__(self, pairs):
        self.pairs = [(name.lower(), value) for name, value in pairs]

    def get_all(self, name):
        return [value for key, value in self.pairs if key == name.lower()]

    def get(self, name):
        values = self.get_all(name)
        return values[0] if values else None


def grade(header_pairs, html="", http_redirects_to_https=True, site_host=SITE_HOST):
    """(grade, score, {test: (result, pass, modifier)}) of a page served with `header_pairs`."""
    headers = Headers(header_pairs)
    document = BeautifulSoup(html, "html.parser")
    metas = document.find_all("meta")
    meta_csp = [m["content"] for m in metas if m.get("http-equiv", "").strip().lower() == "content-security-policy"]
    meta_csp = [m for m in meta_csp if m]
    meta_referrer = [
        m["content"] for m in metas if m.get("name", "").strip().lower() == "referrer" and m.get("content")
    ]
    csp_result, csp_pass, csp = csp_test(headers, [_without_header_only(p) for p in meta_csp])
    results = {
        "content-security-policy": (csp_result, csp_pass),
        "cookies": cookies_test(headers),
        "cross-origin-embedder-policy": cross_origin_policy_test(
            headers, "Cross-Origin-Embedder-Policy", "cross-origin-embedder-policy", ("require-corp", "credentialless")
        ),
        "cross-origin-opener-policy": cross_origin_policy_test(
            headers,
            "Cross-Origin-Opener-Policy",
            "cross-origin-opener-policy",
            ("same-origin", "same-origin-allow-popups", "noopener-allow-popups"),
        ),
        "cross-origin-resource-sharing": cors_test(headers),
        "redirection": redirection_test(http_redirects_to_https),
        "referrer-policy": referrer_policy_test(headers, meta_referrer),
        "strict-transport-security": hsts_test(headers),
        "subresource-integrity": sri_test(document, site_host),
        "x-content-type-options": x_content_type_options_test(headers),
        "x-frame-options": x_frame_options_test(headers, csp),
        "cross-origin-resource-policy": corp_test(headers),
    }
    table = {test: (result, passed, MODIFIERS[result]) for test, (result, passed) in results.items()}
    with_extra = 100 + sum(modifier for _, _, modifier in table.values())
    uncurved = 100 + sum(modifier for _, _, modifier in table.values() if modifier < 0)
    score = max(with_extra if uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT else uncurved, 0)
    return GRADES[(100 - min(score - score % 5, 100)) // 5], score, table


def _without_header_only(policy):
    # cspParser.js parseCspMeta: a <meta> policy loses what only a header may say.
    kept = [p for p in policy.split(";") if p.split() and p.split()[0].lower() not in DIRECTIVES_DISALLOWED_IN_META]
    return ";".join(kept)


def nginx_redirects_http_to_https():
    """True when docs/deploying.md's nginx example answers http:// with a 301 to the same
    host on https:// (redirection.js passes)."""
    for block in nginx_blocks():
        if re.search(r"^\s*listen\s+(\[::\]:)?80\b", block, re.MULTILINE):
            return bool(re.search(r"^\s*return\s+301\s+https://\$host\$request_uri;", block, re.MULTILINE))
    return False


def explain(table):
    return "\n".join(
        f"{test}: {result} ({modifier:+d}){'' if ok else ' FAILS'}" for test, (result, ok, modifier) in table.items()
    )


@pytest.fixture(scope="module")
def shipped(real_site):
    """The `/*` headers of the built `_headers` file and the home page they are served with."""
    headers = parse_headers_file(real_site / "_headers")["/*"]
    return list(headers.items()), (real_site / "index.html").read_text(encoding="utf-8")


def test_the_documented_nginx_server_redirects_http_to_https():
    assert nginx_redirects_http_to_https()


def test_our_headers_get_an_a_plus_with_no_failing_test(shipped):
    headers, home = shipped
    letter, score, table = grade(headers, home, http_redirects_to_https=nginx_redirects_http_to_https())
    failing = [test for test, (_, ok, _) in table.items() if not ok]
    assert (letter, failing) == ("A+", []), explain(table)
    assert score >= 100, explain(table)
    assert table["content-security-policy"][0] == "csp-implemented-with-no-unsafe-default-src-none"
    assert table["x-frame-options"][0] == "x-frame-options-implemented-via-csp"


def test_the_meta_policy_alone_passes_the_csp_test_but_cannot_stop_framing(shipped):
    # GitHub Pages: no headers of ours, only the <meta> in each page.
    _, home = shipped
    _, _, table = grade([], home)
    assert table["content-security-policy"][:2] == ("csp-implemented-with-no-unsafe-default-src-none", True)
    assert table["x-frame-options"][:2] == ("x-frame-options-not-implemented", False)


def test_the_page_policy_takes_nothing_from_the_header_policy(shipped):
    # Both are enforced, so the effective policy is what both allow: the same as the header's.
    headers, home = shipped
    assert 'http-equiv="Content-Security-Policy"' in home
    assert grade(headers, home) == grade(headers, "")


def test_the_grader_scores_no_headers_as_the_published_table_does():
    # 100 - 25 (no CSP) - 20 (no HSTS) - 5 (no nosniff) - 20 (no X-Frame-Options) = 30: D.
    letter, score, table = grade([])
    assert (letter, score) == ("D", 30), explain(table)


def test_the_grader_withholds_bonuses_below_ninety():
    # 100 - 20 (unsafe-inline) + 5 (referrer) + 5 (XFO) + 10 (COOP) = 100 with the bonuses,
    # but 80 without them: bonuses count only from 90, so B+.
    headers = [
        ("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'"),
        ("Strict-Transport-Security", "max-age=63072000"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    letter, score, table = grade(headers)
    assert (letter, score) == ("B+", 80), explain(table)
    assert table["content-security-policy"] == ("csp-implemented-with-unsafe-inline", False, -20)


def test_the_grader_fails_a_short_hsts_and_an_unsafe_referrer_policy():
    headers = [
        ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
        ("Strict-Transport-Security", "max-age=86400"),
        ("Referrer-Policy", "unsafe-url"),
        ("X-Content-Type-Options", "nosniff"),
    ]
    letter, score, table = grade(headers)
    # 100 - 10 - 5 = 85 without bonuses, so none of the +10 (CSP) and +5 (frame-ancestors).
    assert (letter, score) == ("A-", 85), explain(table)


def test_a_foreign_script_without_integrity_costs_points():
    page = '<script src="https://cdn.example/lib.js"></script><script type="application/ld+json">{}</script>'
    _, _, table = grade([], page)
    assert table["subresource-integrity"] == ("sri-not-implemented-but-external-scripts-loaded-securely", False, -5)
    _, _, table = grade([], '<script src="/theme/search.js"></script>')
    assert table["subresource-integrity"][:2] == ("sri-not-implemented-but-all-scripts-loaded-from-secure-origin", True)
