"""Quarterly revisions of a published map: reviews, carried notes, and what changed."""
