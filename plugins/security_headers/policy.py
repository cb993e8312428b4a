"""The one security policy of the site, and the forms hosts and pages read it in.

The theme needs no inline script or style, so the Content-Security-Policy denies
everything by default and allows the site's own scripts, styles, images, fonts and
requests (JSON-LD blocks are data, not scripts) and frames only from the hosts staff
posts may embed (EDITORIAL_IFRAME_HOSTS).

Search (Pagefind, on /search/) needs exactly two things beyond that, both same-origin:
- `'wasm-unsafe-eval'` in script-src: Pagefind's search runs as WebAssembly (its
  `wasm.*.pagefind` file), which a browser compiles only when script-src allows it.
  It allows compiling WebAssembly and nothing else: no `eval()`, no `new Function`, no
  inline script (unlike `'unsafe-eval'`), and the module still comes only from 'self'.
- connect-src 'self': Pagefind fetches its index, filter and fragment files and the
  WebAssembly module from /pagefind/ with fetch(). Its Web Worker
  (`pagefind-worker.js`) is a same-origin script file, which worker-src (falling back
  to script-src 'self') allows.
"""

# Directives a <meta http-equiv="Content-Security-Policy"> may not hold: browsers ignore
# them there and log a console error (CSP3 section 3.3; HTML "http-equiv" pragma).
HEADER_ONLY_DIRECTIVES = frozenset(("frame-ancestors", "report-uri", "report-to", "sandbox"))


def content_security_policy(frame_hosts):
    """The site's Content-Security-Policy header value."""
    frames = " ".join(f"https://{host}" for host in sorted(frame_hosts)) or "'none'"
    directives = [
        # Nothing is allowed unless a directive below allows it.
        "default-src 'none'",
        # 'wasm-unsafe-eval': Pagefind's WebAssembly search (see the module docstring).
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        # Same-origin requests: Pagefind's search index, the dev server's reload events.
        "connect-src 'self'",
        "media-src 'self'",
        "manifest-src 'self'",
        f"frame-src {frames}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ]
    return "; ".join(directives)


def meta_content_security_policy(policy):
    """`policy` without the directives a <meta> element may not hold."""
    kept = [part.strip() for part in policy.split(";") if part.split()]
    return "; ".join(part for part in kept if part.split()[0].lower() not in HEADER_ONLY_DIRECTIVES)


def security_headers(options):
    """The (name, value) pairs every response is served with, from checked `options`
    (security_headers_settings)."""
    headers = [("Content-Security-Policy", content_security_policy(options["EDITORIAL_IFRAME_HOSTS"]))]
    if options["SECURITY_HEADERS_HSTS"]:
        headers.append(("Strict-Transport-Security", options["SECURITY_HEADERS_HSTS"]))
    headers += [
        ("Referrer-Policy", options["SECURITY_HEADERS_REFERRER_POLICY"]),
        ("X-Content-Type-Options", "nosniff"),
        # frame-ancestors does this in current browsers; older ones read only this header.
        ("X-Frame-Options", "SAMEORIGIN"),
        # Pages opened from another site (or opening one) share no window with it.
        ("Cross-Origin-Opener-Policy", "same-origin"),
        # Said outright, not left to the default: feed readers and partner blogs show our
        # images and feeds on their own pages (same-site or same-origin would block them).
        ("Cross-Origin-Resource-Policy", "cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    return headers


def netlify_headers(headers):
    """`_headers` syntax (Netlify, Cloudflare Pages): a path pattern, then indented headers."""
    return "/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers)


def nginx_headers(headers):
    """nginx `add_header` lines, to include in the HTTPS server block."""
    lines = [
        "# Include inside the server { } block that serves the site over HTTPS (docs/deploying.md).",
        "# A location { } block with an add_header of its own drops these: include it there too.",
    ]
    lines += [f'add_header {name} "{value}" always;' for name, value in headers]
    return "\n".join(lines) + "\n"
