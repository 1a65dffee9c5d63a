"""The data directory: its lock, the database, its schema, backups and health."""
