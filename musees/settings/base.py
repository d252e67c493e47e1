"""Settings for every environment, driven by environment variables (see docs/env-vars.md).

Nothing here is edited to move from the embedded default (SQLite, local media, in-process cache)
to production (PostgreSQL, Redis...): the environment says which.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "musees"


def load_env_file(path: Path) -> None:
    """Read KEY=VALUE lines of a .env file into the environment, never overriding a set variable."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


load_env_file(BASE_DIR / ".env")


def env_str(name: str, default: str) -> str:
    """Read a text environment variable; an empty value counts as unset."""
    return os.environ.get(name) or default


def env_int(name: str, default: int) -> int:
    """Read a whole-number environment variable; an empty value counts as unset."""
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} doit être un nombre entier (reçu : {value!r})."
        ) from exc


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable into a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY est obligatoire quand DJANGO_DEBUG est désactivé."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "musees.core",
    "musees.museums",
    "musees.accounts",
    "musees.catalogue",
    "musees.opendata",
    "musees.search",
    "musees.imports",
    "musees.review",
    "django_tasks_db",
    "musees.audit",
    "musees.trash",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "musees.core.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A deletion the database refuses (works protect their images and museum) reads as a message.
    "musees.core.protected.ProtectedDeletionMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "musees.accounts.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "musees.urls"
WSGI_APPLICATION = "musees.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "musees.core.context_processors.site_context",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite (embedded default) runs in WAL mode with a busy timeout and IMMEDIATE write
# transactions, so that a web worker and the background worker never deadlock on upgrade from
# a read lock to a write lock ("database is locked").
VAR_DIR = Path(os.environ.get("MUSEES_VAR_DIR") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "musees",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Seconds an anonymous public page stays in the cache; any publication empties it sooner.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 300)

# --- Background tasks (django-tasks) -----------------------------------------------------------
# Wagtail's own tasks run in the request ("default"); catalogue imports go to the database queue
# that `manage.py db_worker --backend imports` (started by `make run`) works through.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "imports": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

# --- Passwords ------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages: French first, English available under /en/ ------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 3600

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env_str("MUSEES_SITE_NAME", "Musées d'Occitanie")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# No Gravatar: the admin would send a hash of each user's e-mail to a third party (and the CSP
# blocks the picture anyway). Wagtail shows its default avatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No autosave of edit forms: with Wagtail 7.4, saving while an autosave is in flight saves the
# new inline rows twice (a work's images doubled; wagtail#14568, #13910). Staff save drafts.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# An approved review publishes the revision (the review task checked the approver's museum).
WAGTAIL_FINISH_WORKFLOW_ACTION = "musees.review.workflows.publish_approved"
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

# --- The network ----------------------------------------------------------------------------
# The region whose museums the directory shows; the importer keeps only this region by default.
MUSEES_REGION = env_str("MUSEES_REGION", "Occitanie")
# Map tiles are the only third-party request a visitor's browser makes.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">contributeurs OpenStreetMap</a>',
)

# --- IIIF image service -----------------------------------------------------------------------
# Largest area (pixels) one IIIF response renders; longest side served for images whose
# high-resolution download is not allowed; folder of prepared tiles (default MEDIA_ROOT/iiif-cache).
IIIF_MAX_AREA = env_int("IIIF_MAX_AREA", 4_000_000)
IIIF_RESTRICTED_MAX_SIZE = env_int("IIIF_RESTRICTED_MAX_SIZE", 1600)
IIIF_CACHE_DIR = env_str("IIIF_CACHE_DIR", "")  # empty: MEDIA_ROOT/iiif-cache


# --- Catalogue search ------------------------------------------------------------------------
# Folder of the search index segments (files derived from the database; `rebuild_search` makes
# them again). The default keeps one folder per database, so a benchmark or a second database
# never reads another's index.
def _database_key(database: dict) -> str:
    import hashlib

    where = f"{database.get('HOST', '')}:{database.get('PORT', '')}/{database['NAME']}"
    return f"{Path(str(database['NAME'])).stem}-{hashlib.sha1(where.encode()).hexdigest()[:8]}"


SEARCH_INDEX_DIR = env_str("SEARCH_INDEX_DIR", "") or str(
    VAR_DIR / "search" / _database_key(DATABASES["default"])
)

# --- Accounts and sign-in ---------------------------------------------------------------------
# Staff log in with their e-mail address (django-allauth), with TOTP two-factor authentication
# (allauth.mfa) required of every staff role when MFA_REQUIRED_FOR_STAFF is on; django-axes
# locks a login out after LOGIN_FAILURE_LIMIT failures. Wagtail's own login page redirects to
# allauth's (musees/urls.py), so no login path escapes either. Roles: musees/accounts/roles.py.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/admin/"
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# Wagtail's password reset would be a second way in: allauth's replaces it.
WAGTAIL_PASSWORD_RESET_ENABLED = False
ACCOUNT_ADAPTER = "musees.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{WAGTAIL_SITE_NAME}] "
ACCOUNT_PREVENT_ENUMERATION = True
# django-axes is the one guard against password guessing (allauth keeps its other limits).
ACCOUNT_RATE_LIMITS = {"login_failed": None}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = WAGTAIL_SITE_NAME
# Two-factor for every staff role: on in production, off in development and tests by default.
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", not DEBUG)
# Failed logins before a login is locked out, and for how long (minutes).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
# A login is locked after too many failures, and so is an address that tries many logins.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "musees.accounts.lockout.login_username"
AXES_LOCKOUT_CALLABLE = "musees.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
if env_bool("DJANGO_BEHIND_PROXY", False):
    # The proxy's X-Forwarded-For names the client; without a proxy, REMOTE_ADDR does.
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
# Days an invitation link stays valid.
INVITATION_DAYS = env_int("INVITATION_DAYS", 7)
# Days a work deleted from the admin stays in the trash, restorable (musees/trash).
TRASH_RETENTION_DAYS = env_int("TRASH_RETENTION_DAYS", 30)
# --- End of accounts and sign-in --------------------------------------------------------------

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Wagtail's live preview shows the site's own pages in a frame of the admin: SAMEORIGIN, not DENY.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if "://" in MAP_TILE_URL else None
CONTENT_SECURITY_POLICY = {
    # The Wagtail admin needs inline styles and scripts: the policy covers the public site only.
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_tile_origin] if _tile_origin else [])],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# EMAIL_URL (smtp://user:password@host:587, smtps://...) chooses SMTP and overrides the backend.
if os.environ.get("EMAIL_URL"):
    from musees.accounts.email_url import parse_email_url

    globals().update(parse_email_url(os.environ["EMAIL_URL"]))
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "ne-pas-repondre@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail logs every publication at INFO: an import of a region would bury its report.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
