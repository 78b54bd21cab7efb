"""Readers, one per published layout; see registry.py."""
