"""Query understanding: clean, restore diacritics, expand abbreviations, normalise spelling.

Each step is its own small module so that it can be tested and replaced alone; ``understand``
runs them in order and tells the retrievers which strings to search with.
"""
