"""Package data: the demo seed."""
