"""Readers of external files describing museums (one module per format)."""
