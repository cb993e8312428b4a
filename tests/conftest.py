"""Shared fixtures: the real site, built once per test session into a temporary folder."""

import pytest
from support import ROOT, build_site


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    """Output folder of the repository's real content/, built with the real settings."""
    output = tmp_path_factory.mktemp("real-site") / "output"
    build_site(ROOT / "content", output)
    return output
