"""Catalogue importers: one pure parser per format, all yielding `WorkRecord`s (records.py)."""
