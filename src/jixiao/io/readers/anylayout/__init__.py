"""The layout-independent reader (issue 15): tables read from the vocabulary and the shape of values."""
