"""The demonstration territory: a deterministic fictional region.

``generator`` (pure: NumPy, pandas, shapely) draws the region from a seed; ``loading`` (Django)
writes it into the database. Everything it produces is fictional and flagged as such.
"""
