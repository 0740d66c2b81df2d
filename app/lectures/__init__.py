"""Lectures on offer."""
