"""The domain: every operation a secretary can do, as plain Python. Never imports Qt."""
