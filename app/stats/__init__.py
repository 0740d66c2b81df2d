"""Ratings and order statistics."""
