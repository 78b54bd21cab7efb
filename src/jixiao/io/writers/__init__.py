"""Writers, one per output layout."""
