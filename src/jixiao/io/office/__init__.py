"""Office formats: Excel, Word and PDF, read and written in the official layout of the target table."""
