"""Alembic environment and versions, shipped inside the package and run on open."""

# The newest revision in versions/. Opening a database compares its stamp with this, so
# an up-to-date file opens without importing Alembic; a test keeps it equal to the head.
SCHEMA_HEAD = "0003_import_rejects_file"
