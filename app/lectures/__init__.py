"""Lectures on offer (API.md section 5)."""
