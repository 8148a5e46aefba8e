"""Argon2 with the cheapest parameters, so tests that create many users stay fast.

It is still Argon2 (hashes start with "argon2"); production keeps Django's defaults.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1
