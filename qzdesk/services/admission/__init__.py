"""Admission (发展团员): the steps, their checks, publicity, quotas, the points ledger."""
