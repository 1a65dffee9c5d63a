"""Alembic environment: always run by qzdesk on a connection it opened (never offline)."""

from alembic import context

from qzdesk.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
