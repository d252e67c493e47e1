"""Audit: who did what, when, in which museum (on top of Wagtail's own log)."""
