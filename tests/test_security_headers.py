"""Security headers for hosts, and a theme that works under them."""

import re
from types import SimpleNamespace

import pytest
from blogcore.errors import SettingsError
from security_headers import (
    DEFAULTS,
    SecurityHeadersSettingsError,
    check_settings_and_give_pages_the_policy,
    meta_content_security_policy,
    security_headers,
)
from security_headers.settings import META_CSP, security_headers_settings
from support import (
    ROOT,
    TEST_SITEURL,
    build_site,
    html_pages,
    iframe_hosts,
    minimal_files,
    post,
    run_build_cli,
    soup,
    write_site,
)


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


def test_search_gets_exactly_what_pagefind_needs(real_site):
    """Pagefind's WebAssembly ('wasm-unsafe-eval', never 'unsafe-eval') and same-origin
    fetches; nothing else is widened for it (README "Search")."""
    csp = parse_headers_file(real_site / "_headers")["/*"]["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'"]
    assert directives["connect-src"] == ["'self'"]
    assert "worker-src" not in directives  # Pagefind's worker is a same-origin script file
    assert directives["default-src"] == ["'none'"]


def test_nginx_snippet_carries_the_same_policy(real_site):
    headers = parse_headers_file(real_site / "_headers")["/*"]
    snippet = (real_site / "security-headers.nginx.conf").read_text(encoding="utf-8")
    found = dict(re.findall(r'^add_header (\S+) "([^"]*)" always;$', snippet, flags=re.MULTILINE))
    assert found == headers


def test_theme_needs_no_inline_script_style_or_handlers(real_site):
    for page in html_pages(real_site):
        document = soup(page)
        for script in document.find_all("script"):
            # Data, or a same-origin script file (the search page's module); never inline code.
            external = script.get("src", "").startswith(f"{TEST_SITEURL}/") and not script.string
            assert script.get("type") == "application/ld+json" or external, f"{page}: executable inline script"
        assert not document.find_all(style=True), f"{page}: inline style attribute"
        assert not document.find_all("style"), f"{page}: <style> element"
        for tag in document.find_all(True):
            handlers = [name for name in tag.attrs if name.lower().startswith("on")]
            assert not handlers, f"{page}: {tag.name} has {handlers}"


# The policy in every page, for hosts that send no headers (GitHub Pages, S3).

DEPLOYING = ROOT / "docs" / "deploying.md"


def test_every_page_carries_the_policy_a_meta_may_hold(real_site):
    header = parse_headers_file(real_site / "_headers")["/*"]["Content-Security-Policy"]
    expected = "; ".join(part for part in header.split("; ") if not part.startswith("frame-ancestors "))
    pages = html_pages(real_site)
    assert len(pages) > 20
    for page in pages:
        metas = soup(page).find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert [meta["content"] for meta in metas] == [expected], page


def test_the_meta_policy_comes_before_anything_it_governs(real_site):
    # A <meta> policy covers only what the parser meets after it.
    head = soup(real_site / "index.html").head
    first = head.find(lambda tag: tag.name in ("link", "script", "style", "base") or tag.get("http-equiv"))
    assert first.get("http-equiv") == "Content-Security-Policy"


def test_the_meta_policy_holds_no_header_only_directive():
    options = security_headers_settings({"EDITORIAL_IFRAME_HOSTS": ["player.vimeo.com"]})
    header = security_headers(options)[0][1]
    meta = meta_content_security_policy(header + "; report-uri /csp; report-to csp; sandbox allow-forms")
    directives = [part.split()[0] for part in meta.split("; ")]
    assert "frame-ancestors" in header
    assert not {"frame-ancestors", "report-uri", "report-to", "sandbox"} & set(directives)
    assert directives[0] == "default-src" and "frame-src" in directives


def test_a_second_build_with_the_same_settings_keeps_the_meta_policy():
    # Pelican hands the same settings dict to the receiver of each build made from it.
    settings = {"EDITORIAL_IFRAME_HOSTS": ["player.vimeo.com"]}
    check_settings_and_give_pages_the_policy(SimpleNamespace(settings=settings))
    first = settings[META_CSP]
    check_settings_and_give_pages_the_policy(SimpleNamespace(settings=settings))
    assert settings[META_CSP] == first
    assert first.startswith("default-src 'none'; ")


def test_a_meta_policy_typed_into_the_settings_is_refused(tmp_path):
    content = write_site(tmp_path, minimal_files())
    with pytest.raises(SecurityHeadersSettingsError) as raised:
        build_site(content, tmp_path / "out", SECURITY_HEADERS_META_CSP="default-src *")
    assert str(raised.value) == (
        "Setting 'SECURITY_HEADERS_META_CSP': is made from the policy by the security_headers plugin; remove it"
    )


# HSTS and the other headers, on every host that reads them.


def test_headers_file_and_nginx_snippet_send_hsts(real_site):
    headers = parse_headers_file(real_site / "_headers")["/*"]
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    snippet = (real_site / "security-headers.nginx.conf").read_text(encoding="utf-8")
    assert 'add_header Strict-Transport-Security "max-age=63072000; includeSubDomains; preload" always;' in snippet


def test_hsts_can_be_turned_off(tmp_path):
    content = write_site(tmp_path, minimal_files())
    build_site(content, tmp_path / "out", SECURITY_HEADERS_HSTS="")
    headers = parse_headers_file(tmp_path / "out" / "_headers")["/*"]
    assert "Strict-Transport-Security" not in headers
    assert headers["X-Content-Type-Options"] == "nosniff"


# The nginx example of docs/deploying.md.


def nginx_blocks():
    """Each top-level `server { }` block of the ```nginx examples in docs/deploying.md."""
    text = DEPLOYING.read_text(encoding="utf-8")
    blocks = []
    for example in re.findall(r"^```nginx\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL):
        depth, start = 0, None
        for index, character in enumerate(example):
            if character == "{":
                depth += 1
                if depth == 1:
                    start = example.rfind("\n", 0, index) + 1
            elif character == "}":
                depth -= 1
                if depth == 0:
                    blocks.append(example[start : index + 1])
    return blocks


def test_the_nginx_example_includes_the_headers_snippet_in_the_https_server():
    https = [block for block in nginx_blocks() if re.search(r"^\s*listen\s+443\s+ssl;", block, re.MULTILINE)]
    assert len(https) == 1
    server = https[0]
    include = f"    include /var/www/blog/{DEFAULTS['SECURITY_HEADERS_NGINX_FILE']};"
    assert include in server.splitlines()
    # At server level, where every location without add_header of its own inherits it.
    location = server.index("location ")
    assert server.index(include) < location
    assert "add_header" not in server[location:]


def test_the_nginx_example_serves_the_output_folder_it_includes_from():
    server = next(block for block in nginx_blocks() if "listen 443 ssl;" in block)
    root = re.search(r"^\s*root\s+(\S+);", server, re.MULTILINE).group(1)
    includes = re.findall(r"^\s*include\s+(\S+);", server, re.MULTILINE)
    assert includes and all(path.startswith(root + "/") for path in includes)


# Settings: every mistake listed, one line each.


def test_unknown_and_wrong_settings_are_all_listed(tmp_path):
    content = write_site(tmp_path, minimal_files())
    wrong = {
        "SECURITY_HEADERS_HTST": "max-age=1",
        "SECURITY_HEADERS_CSP": "default-src *",
        "SECURITY_HEADERS_FILE": "../_headers",
        "SECURITY_HEADERS_NGINX_FILE": 7,
        "SECURITY_HEADERS_REFERRER_POLICY": "unsafe",
        "SECURITY_HEADERS_HSTS": "max-age=1, max-age=2",
        # The sanitiser's list given too: the editorial plugin requires the two to agree.
        **iframe_hosts("player.vimeo.com", "x.example; script-src *"),
    }
    # Every plugin's settings are checked together before a build: one report.
    with pytest.raises(SettingsError) as raised:
        build_site(content, tmp_path / "out", **wrong)
    assert str(raised.value).splitlines() == [
        "Setting 'SECURITY_HEADERS_CSP': unknown setting; known settings: SECURITY_HEADERS_FILE, "
        "SECURITY_HEADERS_NGINX_FILE, SECURITY_HEADERS_REFERRER_POLICY, SECURITY_HEADERS_HSTS",
        "Setting 'SECURITY_HEADERS_HTST': unknown setting; did you mean 'SECURITY_HEADERS_HSTS'?",
        "Setting 'SECURITY_HEADERS_FILE': expected a plain file name at the output root, got '../_headers'",
        "Setting 'SECURITY_HEADERS_NGINX_FILE': expected a plain file name at the output root, got 7",
        "Setting 'SECURITY_HEADERS_REFERRER_POLICY': expected one of no-referrer, no-referrer-when-downgrade, "
        "same-origin, origin, strict-origin, origin-when-cross-origin, strict-origin-when-cross-origin, "
        "unsafe-url, got 'unsafe'",
        "Setting 'SECURITY_HEADERS_HSTS': expected 'max-age=<seconds>', optionally with '; includeSubDomains' "
        "and '; preload', or '' for none, got 'max-age=1, max-age=2'",
        "Setting 'EDITORIAL_IFRAME_HOSTS': 'x.example; script-src *' is not a host name such as "
        "'player.vimeo.com' (the Content-Security-Policy's frame-src lists them)",
    ]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"SECURITY_HEADERS_NGINX_FILE": "_headers"},
            "Setting 'SECURITY_HEADERS_NGINX_FILE': must differ from SECURITY_HEADERS_FILE",
        ),
        (
            {"SECURITY_HEADERS_HSTS": "includeSubDomains"},
            "Setting 'SECURITY_HEADERS_HSTS': expected 'max-age=<seconds>', optionally with '; includeSubDomains' "
            "and '; preload', or '' for none, got 'includeSubDomains'",
        ),
        (
            {"SECURITY_HEADERS_FILE": ".htaccess"},
            "Setting 'SECURITY_HEADERS_FILE': expected a plain file name at the output root, got '.htaccess'",
        ),
    ],
)
def test_a_wrong_setting_is_named(overrides, message):
    with pytest.raises(SecurityHeadersSettingsError) as raised:
        security_headers_settings(overrides)
    assert str(raised.value) == message


def test_a_settings_mistake_is_one_clean_line_from_the_command_line(tmp_path):
    settings = tmp_path / "site.py"
    settings.write_text(
        f"from pelicanconf import *\nPATH = {str(write_site(tmp_path, minimal_files()))!r}\n"
        "SECURITY_HEADERS_HTST = 'max-age=1'\n",
        encoding="utf-8",
    )
    result = run_build_cli("--settings", str(settings), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Setting 'SECURITY_HEADERS_HTST': unknown setting; did you mean 'SECURITY_HEADERS_HSTS'?",
        "The previous output is unchanged.",
    ]


def test_the_settings_examples_in_the_deploying_guide_are_real():
    lines = DEPLOYING.read_text(encoding="utf-8").splitlines()
    examples = [line for line in lines if line.startswith("Setting 'SECURITY_HEADERS_")]
    assert len(examples) == 2
    with pytest.raises(SecurityHeadersSettingsError) as raised:
        security_headers_settings({"SECURITY_HEADERS_HTST": "x", "SECURITY_HEADERS_REFERRER_POLICY": "unsafe"})
    assert str(raised.value).splitlines() == examples


def test_redirect_pages_carry_the_meta_policy_too(tmp_path):
    files = {**minimal_files(), "posts/a-post.md": post(Aliases="/2014/02/old-slug/")}
    output = tmp_path / "out"
    build_site(write_site(tmp_path, files), output)
    redirect = output / "2014" / "02" / "old-slug" / "index.html"
    metas = soup(redirect).find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert [meta["content"] for meta in metas] == [
        meta_content_security_policy(parse_headers_file(output / "_headers")["/*"]["Content-Security-Policy"])
    ]
