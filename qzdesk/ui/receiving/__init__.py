"""The committee's receiving side (收件)."""
