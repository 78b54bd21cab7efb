"""Shipped rule profiles (TOML data files)."""
