"""Eloqua's rules, as plain synchronous functions over the store (database first)."""
