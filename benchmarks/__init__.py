"""Benchmarks, run by ``make bench`` (never by ``make test``).

Each one prints its figures and a ratio against a raw baseline measured in the same run,
so results compare across machines.
"""
