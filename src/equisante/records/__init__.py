"""Individual records to indicators."""
