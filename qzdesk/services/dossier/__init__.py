"""成长档案: one ordered history per member drawn from every record qzdesk holds (and the
history that came with a transfer), and the checklist of the 团员档案's papers."""
