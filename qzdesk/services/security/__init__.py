"""Passwords, signing in and the branch's signing key."""
