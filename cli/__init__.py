"""The `sagak` command line and what it prints; the flows it runs live in flows/."""
