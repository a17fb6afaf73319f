"""Developer scripts: fixtures, upstream drift and the coverage table."""
