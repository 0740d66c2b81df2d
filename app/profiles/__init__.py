"""Lecturer and customer profiles, and the cities their contact info names."""
