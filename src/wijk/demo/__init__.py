"""The demo enterprise: one realistic, fictional community enterprise.

`wijk demo` builds it; every capability adds a section to `generator.py`, so the
demo always shows all of the software with plausible data. Everything is
deterministic (no randomness without a fixed seed) and idempotent: running it again
changes nothing.
"""
