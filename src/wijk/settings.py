"""Settings for Wijkonderneming: one module, switched by environment variables.

Nothing here is production-only code: every difference between the demo, the tests and
a production install is an environment variable, documented in docs/operator-guide.md.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent

# Everything the application keeps lives in the database and in this folder (uploads,
# the SQLite file, outgoing mail in the file backend, a generated secret key).
DATA_DIR = Path(os.environ.get("WIJK_DATA_DIR") or (Path.cwd() / "data")).resolve()
MEDIA_ROOT = Path(os.environ.get("WIJK_MEDIA_DIR") or (DATA_DIR / "media"))
MEDIA_URL = "/media/"
# Largest upload (a receipt) in megabytes. Uploaded files are never served from a
# public URL: views check the reader's rights and stream them.
WIJK_MAX_UPLOAD_MB = int(os.environ.get("WIJK_MAX_UPLOAD_MB", "10"))
STATIC_ROOT = Path(os.environ.get("WIJK_STATIC_ROOT") or (DATA_DIR / "static"))
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]


def _secret_key() -> str:
    """Use SECRET_KEY when given; otherwise keep a random key in the data folder.

    Several app processes on different machines must share SECRET_KEY through the
    environment; a single install needs no configuration at all.
    """
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("WIJK_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Behind a TLS-terminating proxy, production turns this on: secure cookies, HSTS and
# a redirect to https.
HTTPS = env_bool("WIJK_HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("WIJK_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("WIJK_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("WIJK_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "wijk.core",
    "wijk.accounts",
    "wijk.organisations",
    "wijk.ledger",
    "wijk.premises",
    "wijk.activities",
    "wijk.guide",
    "wijk.expenses",
    "wijk.sales",
    "wijk.community",
    "wijk.banking",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wijk.accounts.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "wijk.urls"
WSGI_APPLICATION = "wijk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wijk.organisations.context_processors.organisations",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        if config["ENGINE"].endswith("sqlite3"):
            config["OPTIONS"] = SQLITE_OPTIONS
        return dict(config)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "wijk.sqlite3",
        "OPTIONS": SQLITE_OPTIONS,
    }


# SQLite: write-ahead log so readers never block the writer, and IMMEDIATE
# transactions so two writers queue instead of failing with "database is locked".
# A 64 MB page cache per connection (the default is 2 MB): with large books (a
# million entries is 650 MB) posting and verifying otherwise reread index pages
# from the file all the time; see benchmarks/README.md.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA busy_timeout=20000; PRAGMA cache_size=-65536;"
    ),
}
DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches hold rate-limit counters (login throttling); a database cache keeps them
# shared between app processes without another service.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wijk_cache",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Sessions end after this many seconds without a request (idle timeout).
SESSION_COOKIE_AGE = int(os.environ.get("WIJK_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-allauth: e-mail login, no open sign-up (people join by invitation).
ACCOUNT_ADAPTER = "wijk.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
# Throttling: 5 failed logins per account and per address within 30 minutes, after
# which that account or address waits until the oldest failure is 30 minutes old.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/30m/ip,5/30m/key"}
# Behind a reverse proxy, the number of proxies whose X-Forwarded-For entries are
# trusted; without it every visitor would share the proxy's address for throttling.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("WIJK_TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Wijkonderneming] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Wijkonderneming"
# We send no verification mails (ACCOUNT_EMAIL_VERIFICATION = "none": an invitation link
# proves the address). Without this, a board member who once opened "E-mail addresses"
# has an unverified address there and could never set up the required second step.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Board members and treasurers must use two-factor authentication. The demo turns it
# off so visitors can log in with the printed passwords.
WIJK_REQUIRE_2FA = env_bool("WIJK_REQUIRE_2FA", True)
# The address people use to reach this installation (for links in e-mails sent from
# the command line).
# The legal yearly maximum of the tax-free volunteer allowance (vrijwilligersvergoeding),
# in cents: € 2.100 in 2024 and 2025 (Belastingdienst). Check it every January.
WIJK_VOLUNTEER_ALLOWANCE_MAX_CENTS = int(
    os.environ.get("WIJK_VOLUNTEER_ALLOWANCE_MAX_CENTS", "210000")
)
# And the monthly maximum: € 210 in 2025. Paid above either, the whole allowance is taxed.
WIJK_VOLUNTEER_ALLOWANCE_MONTH_MAX_CENTS = int(
    os.environ.get("WIJK_VOLUNTEER_ALLOWANCE_MONTH_MAX_CENTS", "21000")
)
WIJK_BASE_URL = os.environ.get("WIJK_BASE_URL", "http://127.0.0.1:8000")

# E-mail: SMTP when EMAIL_HOST is set, otherwise messages are written as files in
# the data folder (or printed, with WIJK_EMAIL_BACKEND=console).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
elif os.environ.get("WIJK_EMAIL_BACKEND") == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Wijkonderneming <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
if HTTPS:
    LANGUAGE_COOKIE_SECURE = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("WIJK_PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: keep them small; every import checks its own limits as well.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WIJK_LOG_LEVEL", "WARNING")},
}

# Bank statements: the largest file and the most lines one import accepts.
BANK_STATEMENT_MAX_BYTES = int(os.environ.get("WIJK_BANK_STATEMENT_MAX_MB", "20")) * 1024 * 1024
BANK_STATEMENT_MAX_LINES = 200_000
