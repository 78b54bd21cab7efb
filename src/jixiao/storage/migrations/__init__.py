"""Alembic migrations of the jixiao schema."""
