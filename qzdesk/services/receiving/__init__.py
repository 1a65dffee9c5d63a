"""A committee receiving its organisations' signed archives (收件)."""
