"""The pure core: the standard library only, no I/O.

Eloqua's languages (statements, filters), the error tree and its message texts, the list
query language, values, timestamps and durations, settings, and the sync life cycle with
what a poller sees. Everything above (store, domain, engine, HTTP) builds on these.
"""
