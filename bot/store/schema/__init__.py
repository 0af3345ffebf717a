"""The store's schema: one MetaData for both engines, its history, and opening SQLite files.

tables.py holds the MetaData, bot/store/migrations/ its Alembic history, and
sqlite_file.py brings an SQLite file up to date when it is opened. Nothing is imported
here: opening an up-to-date SQLite file needs no SQLAlchemy at all.
"""
