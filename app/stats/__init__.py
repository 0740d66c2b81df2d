"""Ratings and order statistics (API.md section 9)."""
