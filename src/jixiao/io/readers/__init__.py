"""Readers, one per published layout; :mod:`jixiao.io.registry` chooses among them."""
