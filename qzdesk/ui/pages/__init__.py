"""One module a page of the main window."""
