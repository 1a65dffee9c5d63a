"""Organisational life: minutes, the plan, compliance, rating, terms, evaluation."""
