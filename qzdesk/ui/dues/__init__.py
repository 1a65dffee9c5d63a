"""The 团费 page."""
