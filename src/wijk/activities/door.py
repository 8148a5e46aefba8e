"""The public sign-in at the door: no login, a secret token in the URL, a rate limit.

Visitors scan a QR code (or type the short link) and press one button; they may add
the four digits of their postcode and an age group, never a name. Spamming is
resisted with counters in Django's cache: per client address and per session.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# At most this many sign-ins per client address per window (a family on one phone fits).
PER_CLIENT_LIMIT = 20
# At most this many sign-ins per session per window, from all clients together.
PER_SESSION_LIMIT = 600
WINDOW_SECONDS = 10 * 60


def client_address(request: HttpRequest) -> str:
    """The visitor's address, read through the trusted proxies the installation has."""
    proxies = int(getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def _hit(key: str, limit: int) -> bool:
    """Count one attempt under `key`; False when the limit is already reached."""
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit


def allow_sign_in(request: HttpRequest, session_id: int) -> bool:
    client_ok = _hit(f"door:{session_id}:{client_address(request)}", PER_CLIENT_LIMIT)
    session_ok = _hit(f"door:{session_id}", PER_SESSION_LIMIT)
    return client_ok and session_ok
