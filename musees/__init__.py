"""Musées en réseau: the open platform of a regional museum network."""
