"""The 发展团员 screens: applicants and their steps, the points review queue, the ranking,
publicity notices, quotas and number blocks."""
