"""Production settings: everything from pelicanconf.py, with absolute URLs to SITEURL."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: F403

SITEURL = "https://blog.youtern.example"
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
