"""PDF documents with ReportLab: the layout every document shares and the registry of
documents that modules contribute to the archive."""
