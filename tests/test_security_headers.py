"""Security headers for hosts, and a theme that works under them."""

import re

from support import html_pages, soup


def parse_headers_file(path):
    """The `_headers` file as {path pattern: {header: value}}."""
    rules, current = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(" "):
            current = rules.setdefault(line.strip(), {})
        elif line.strip():
            name, _, value = line.strip().partition(": ")
            current[name] = value
    return rules


def test_headers_file_sets_csp_referrer_policy_and_nosniff(real_site):
    headers = parse_headers_file(real_site / "_headers")["/*"]
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "object-src 'none'" in csp
    assert "frame-src https://player.vimeo.com https://www.youtube-nocookie.com" in csp
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_nginx_snippet_carries_the_same_policy(real_site):
    headers = parse_headers_file(real_site / "_headers")["/*"]
    snippet = (real_site / "security-headers.nginx.conf").read_text(encoding="utf-8")
    found = dict(re.findall(r'^add_header (\S+) "([^"]*)" always;$', snippet, flags=re.MULTILINE))
    assert found == headers


def test_theme_needs_no_inline_script_style_or_handlers(real_site):
    for page in html_pages(real_site):
        document = soup(page)
        for script in document.find_all("script"):
            assert script.get("type") == "application/ld+json", f"{page}: executable inline script"
        assert not document.find_all(style=True), f"{page}: inline style attribute"
        assert not document.find_all("style"), f"{page}: <style> element"
        for tag in document.find_all(True):
            handlers = [name for name in tag.attrs if name.lower().startswith("on")]
            assert not handlers, f"{page}: {tag.name} has {handlers}"
