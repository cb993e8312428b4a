"""The build benchmark: a synthetic corpus, built with our pipeline and with vanilla Pelican."""
