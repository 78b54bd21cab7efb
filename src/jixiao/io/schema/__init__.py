"""JSON Schema files shipped with jixiao."""
