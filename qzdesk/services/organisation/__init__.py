"""The organisation tree, its settings and rule profiles, and its overview."""
