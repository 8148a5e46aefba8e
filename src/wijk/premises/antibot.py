"""Keeping robots away from the public booking form, without third-party services.

Three checks, each cheap for people and costly for scripts:

- a honeypot: a field that is hidden from people (and from screen readers) and must
  stay empty; simple bots fill every field;
- a signed timestamp in the form: a request sent sooner than `MIN_SECONDS` after the
  form was shown, or with a missing, forged or expired stamp, is refused;
- a rate limit per client address in the shared cache (the database cache, so it holds
  across app processes): at most `MAX_PER_HOUR` sent forms an hour (also the ones
  with mistakes, so a script cannot try endlessly).
"""

from __future__ import annotations

import time

from django.core import signing
from django.core.cache import cache

SALT = "wijk.premises.public-request"
MIN_SECONDS = 3
MAX_AGE_SECONDS = 2 * 60 * 60
MAX_PER_HOUR = 10


def form_stamp(now: float | None = None) -> str:
    return signing.dumps(int(now if now is not None else time.time()), salt=SALT)


def stamp_problem(stamp: str, now: float | None = None) -> str | None:
    """Why the stamp is not acceptable ("missing", "forged", "expired", "too fast"), or None."""
    if not stamp:
        return "missing"
    current = now if now is not None else time.time()
    try:
        issued = int(signing.loads(stamp, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return "forged"
    if current - issued > MAX_AGE_SECONDS:
        return "expired"
    if current - issued < MIN_SECONDS:
        return "too fast"
    return None


def _key(client: str) -> str:
    return f"premises:public-request:{client}"


def over_limit(client: str) -> bool:
    count = cache.get(_key(client), 0)
    return bool(count >= MAX_PER_HOUR)


def count_request(client: str) -> None:
    key = _key(client)
    if not cache.add(key, 1, timeout=60 * 60):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=60 * 60)
