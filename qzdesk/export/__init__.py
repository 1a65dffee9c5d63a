"""Documents and files qzdesk reads and writes: spreadsheets now, PDF archives later."""
