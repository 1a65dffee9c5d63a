"""qzdesk: offline records for Communist Youth League branch secretaries."""

__version__ = "0.1.0"
