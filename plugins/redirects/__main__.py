"""Add a built site's pages to its published-URL record (`make publish` runs this after
a successful build):

    PYTHONPATH=plugins python -m redirects [--settings publishconf.py] [--output output]
"""

import argparse
import sys
from pathlib import Path

from blogcore.problems import display_path
from pelican.settings import read_settings

from .record import published_urls, read_record, record_path, update_record
from .settings import redirects_settings


def main(argv=None):
    """Add the pages of a built site to its record; returns the exit status."""
    parser = argparse.ArgumentParser(description="Add a built site's URLs to the published-URL record.")
    parser.add_argument("--settings", default="publishconf.py")
    parser.add_argument("--output", help="the built site (default: OUTPUT_PATH from the settings)")
    args = parser.parse_args(argv)
    settings = read_settings(args.settings)
    record_file = record_path(settings)
    if record_file is None:
        print("REDIRECTS_RECORD is empty: no record kept.")
        return 0
    output = Path(args.output or settings["OUTPUT_PATH"])
    if not (output / "index.html").is_file():
        print(f"{output} holds no built site: run `make publish` first.", file=sys.stderr)
        return 1
    ignore = tuple(redirects_settings(settings)["REDIRECTS_RECORD_IGNORE"])
    added = update_record(record_file, published_urls(output, ignore))
    total = len(read_record(record_file))
    print(f"{display_path(record_file)}: {total} published URLs, {len(added)} new; commit it with the content.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
