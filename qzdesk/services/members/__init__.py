"""The member roster: records, their checks, ID numbers, import and search."""
