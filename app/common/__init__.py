"""Pieces every blueprint uses: request parsing, fields, pagination, auth checks."""
