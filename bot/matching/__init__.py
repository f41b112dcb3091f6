"""Normalise and mask pasted text, find its error lines, score KB entries, decide confidence."""
