"""The shared core the feature plugins stand on (not a Pelican plugin itself)."""
