"""The pattern library under `.empathy/patterns/`."""
