"""Settings for the reform-task supervision platform.

One file. With no environment variable set it runs on a laptop: SQLite and a
file-system Celery broker in ``DATA_DIR``, e-mails written to a folder, DEBUG on.
``DATABASE_URL``, ``REDIS_URL``, ``EMAIL_URL`` and friends switch to real services;
the README lists every variable.
"""

from pathlib import Path

import dj_database_url
import dj_email_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from reform.env import env_bool, env_int, env_list, env_number, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data"))).resolve()

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "orgs.apps.ReformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "orgs",
    "tasks",
    "tasks.reminders",
    "reports",
    "reform",  # the platform's own: the worker's heartbeat
]

MIDDLEWARE = [
    "reform.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "reform.security.ContentSecurityPolicyMiddleware",
    "reform.security.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "reform.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "reform.security.NulCharacterMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "orgs.middleware.IdleTimeoutMiddleware",
    "orgs.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change kept by django-simple-history.
    "simple_history.middleware.HistoryRequestMiddleware",
]

if not DEBUG:
    # Serves collected static files in production; with DEBUG on, runserver does.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

ROOT_URLCONF = "reform.urls"
WSGI_APPLICATION = "reform.wsgi.application"

# Django's widget templates, a select's written out in Python (reform.rendering).
FORM_RENDERER = "reform.rendering.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "orgs.context_processors.access",
                "tasks.reminders.context_processors.notifications",
                "tasks.context_processors.queue",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        # A connection kept for a minute: opening one costs a PostgreSQL request several milliseconds.
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite cannot create its own folder; the embedded default must work from a fresh clone.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web process read while the worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so that a worker started by a test sees the test's data.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    # The dashboard groups 100,000 assignments of a province in memory: PostgreSQL's default 4 MB
    # spills the sort to disk (218 → 118 ms measured). JIT compiling costs more than it saves on
    # queries of this size (25-30 ms on each grouped count).
    # The platform's data stays in memory (a province's is a few hundred MB), where reading by an
    # index costs little more than reading in order; the default 4 is a spinning disk's, and made
    # PostgreSQL read every plan's assignments to count one city plan's beside a province (76 → 21 ms).
    # Its queries read thousands of rows, not millions: starting parallel workers costs more than
    # they save (a task page's newest reports 11 → 6 ms), and the cores serve other requests.
    work_mem = env_str("DATABASE_WORK_MEM", "16MB")
    random_page_cost = env_number("DATABASE_RANDOM_PAGE_COST", 1.1)
    parallel_workers = env_int("DATABASE_PARALLEL_WORKERS", 0)
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c work_mem={work_mem} -c jit=off -c random_page_cost={random_page_cost}"
        f" -c max_parallel_workers_per_gather={parallel_workers}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users and login ------------------------------------------------------------------

AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Django's backend behind the lock-out (orgs.lockout), which refuses before any password is checked.
AUTHENTICATION_BACKENDS = ["orgs.lockout.LockoutBackend"]
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)  # one name from one address
LOGIN_USER_FAILURE_LIMIT = env_int("LOGIN_USER_FAILURE_LIMIT", 10)  # one name from any address
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 30)  # any names from one address
# Behind a proxy that sets X-Forwarded-For, the caller's address is its last entry.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", False)

# 等保 2.0: length and several kinds of character. Periodic change is off by default, as OWASP
# ASVS advises (it breeds predictable passwords); PASSWORD_MAX_AGE_DAYS turns it on.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8)},
    },
    {
        "NAME": "orgs.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env_int("PASSWORD_MIN_CLASSES", 3)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 0)

# A session ends after this long without a request (orgs.middleware), and with the browser.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-ins, account changes and backups (reform.audit), kept at least 180 days.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365)
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 180 (等保 2.0 keeps audit records six months)")

# --- Language and time ----------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Files ------------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence and generated reports: outside the static path, served only through views
# that apply the access policy.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
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

# Plan documents larger than this are refused before they are read.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 20) * 1024 * 1024
# Larger documents, or plans with more tasks, are parsed and imported by a worker.
IMPORT_INLINE_BYTES = env_int("IMPORT_INLINE_KB", 512) * 1024
IMPORT_INLINE_TASKS = env_int("IMPORT_INLINE_TASKS", 100)
# Scans are read by OCR in a worker at a few seconds a page; longer ones are refused at upload, so
# that one job stays well inside CELERY_TASK_TIME_LIMIT.
IMPORT_MAX_SCAN_PAGES = env_int("IMPORT_MAX_SCAN_PAGES", 100)

# Where `manage.py backup` writes its archives unless told otherwise.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(DATA_DIR / "backups")))

# Evidence files larger than this are refused.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 50) * 1024 * 1024
# Any request whose declared body is larger is refused before the body is read (a report with
# several files of evidence); the web server in front should refuse the same (client_max_body_size).
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_MB", 200) * 1024 * 1024
# With a web server in front that serves MEDIA_ROOT from an internal location (deploy/nginx.conf):
# its prefix, e.g. /protected/. Django checks the permission, the web server sends the file.
FILES_X_ACCEL_REDIRECT = env_str("FILES_X_ACCEL_REDIRECT", "")

# An unanswered supervision notice moves up a grade after this many days.
NOTICE_RESPONSE_DAYS = env_int("NOTICE_RESPONSE_DAYS", 7)

# Work submitted this many days ago and not yet reviewed: staff are told, once a submission.
REVIEW_OVERDUE_DAYS = env_int("REVIEW_OVERDUE_DAYS", 5)

# Traffic lights: yellow when due within this many days, or this many points behind 序时进度.
LIGHT_DUE_SOON_DAYS = env_int("LIGHT_DUE_SOON_DAYS", 30)
LIGHT_BEHIND_POINTS = env_int("LIGHT_BEHIND_POINTS", 20)

# Reports listing more units' assignments than this are made by the worker, with a progress bar.
REPORT_INLINE_ROWS = env_int("REPORT_INLINE_ROWS", 2000)
# The dashboard's figures are cached this long at most; any change to the work drops them sooner.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 300)
# A report job is stopped after this many seconds (it fails with the reason; the worker kills it
# 30 s later if it does not stop), and one whose worker vanished mid-way is tried once more.
REPORT_TIME_LIMIT = env_int("REPORT_TIME_LIMIT", 10 * 60)
REPORT_ATTEMPTS = 2

# Reminders: a sweep catches up at most this many missed days; failed sends are retried this
# many times in all; a send claimed by a job that vanished is freed after this many minutes.
REMINDER_CATCH_UP_DAYS = env_int("REMINDER_CATCH_UP_DAYS", 31)
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 6)
REMINDER_CLAIM_MINUTES = env_int("REMINDER_CLAIM_MINUTES", 30)
# The platform's address as users reach it, for links in e-mails and chat messages.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Cache and Celery -------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
# Publishing makes one attempt (max_retries 0): with Redis away a page must not wait for it; the
# worker's own reconnecting is governed by broker_connection_max_retries, not by these options.
# A job whose worker vanished goes back to the queue after REDIS_VISIBILITY_TIMEOUT seconds;
# no job may run longer than that (CELERY_TASK_TIME_LIMIT is well below).
REDIS_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 0,
    "visibility_timeout": env_int("REDIS_VISIBILITY_TIMEOUT", 3600),
    # Workers look for such jobs every REDIS_RESTORE_SECONDS (kombu's default is every 100 s).
    "unacked_restore_interval": env_int("REDIS_RESTORE_SECONDS", 10),
    "unacked_restore_throttle": 1,
}

if REDIS_URL:
    # A Redis that does not answer costs a request two seconds at most, never a hang.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
    CELERY_BROKER_CONNECTION_TIMEOUT = 2
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # kombu's file-system transport: a broker that needs no server, shared by the web
    # process and the worker through DATA_DIR.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(DATA_DIR / "broker" / "queue"),
        "data_folder_out": str(DATA_DIR / "broker" / "queue"),
        "control_folder": str(DATA_DIR / "broker" / "control"),
    }
    CELERY_RESULT_BACKEND = f"file://{DATA_DIR / 'broker' / 'results'}"

# Jobs record their outcome in the database (a Notification or ReportJob row), not
# in Celery's result backend; the few that return a value say so themselves.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 15 * 60)
# A worker process whose peak memory passed this (KiB) is replaced after its job. Measured: about
# 100 MB idle; a city-scale plan's progress report or bulletin, or a unit's report of 200 tasks,
# peak above it and leave a fresh process behind them; reminders and imports stay below.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_KB", 250_000)
# A filter's empty choice, in every filter form (django-filter): "全部", not "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")
CELERY_BEAT_SCHEDULE: dict = {
    # Early morning in Asia/Shanghai, before offices open.
    "escalate-supervision-notices": {
        "task": "tasks.escalate_notices",
        "schedule": crontab(hour=6, minute=30),
    },
    # Every so many seconds instead, when set (a demo, a test of the day): a sweep run again the same
    # day records nothing it recorded before.
    "sweep-reminders": {
        "task": "reminders.sweep",
        "schedule": env_int("REMINDER_SWEEP_SECONDS", 0) or crontab(hour=6, minute=0),
    },
    # Sends what a sweep or a web request could not hand over, and retries temporary failures.
    "dispatch-notifications": {
        "task": "reminders.dispatch",
        "schedule": env_int("REMINDER_DISPATCH_SECONDS", 120),
    },
    "purge-audit-log": {"task": "reform.purge_audit", "schedule": crontab(hour=3, minute=15)},
    # /readyz counts a worker ready while its heartbeat is fresh.
    "heartbeat": {"task": "reform.heartbeat", "schedule": env_int("HEARTBEAT_SECONDS", 60)},
}
# /readyz answers 503 when the worker has not been seen for this long.
READY_HEARTBEAT_MINUTES = env_int("READY_HEARTBEAT_MINUTES", 5)
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# --- E-mail -------------------------------------------------------------------------------

_email_url = env_str("EMAIL_URL")
if _email_url:
    _email = dj_email_url.parse(_email_url)
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"]
    EMAIL_PORT = _email["EMAIL_PORT"]
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
    EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
    EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
    EMAIL_FILE_PATH = _email["EMAIL_FILE_PATH"] or str(DATA_DIR / "mail")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "reform@localhost")

# --- REST framework ------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["reform.api.permissions.PolicyPermission"],
    "DEFAULT_PAGINATION_CLASS": "reform.api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "reform.api.schema.ListingSchema",
    "EXCEPTION_HANDLER": "reform.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "reform.api.throttles.AnonRateThrottle",
        "reform.api.throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_ANON_RATE", "30/minute"),
        "user": env_str("API_USER_RATE", "1200/minute"),
        "token": env_str("API_TOKEN_RATE", "10/minute"),
    },
    "PAGE_SIZE": 50,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# Lists of the reform's work kept while it is unchanged (reform.api.cache); the bound for changes
# made outside the platform.
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 300)

SPECTACULAR_SETTINGS = {
    "TITLE": "改革任务督办平台 API / Reform task supervision API",
    "DESCRIPTION": (
        "国资委改革任务的计划、任务、分工、进展与督办。权限与网页相同：填报人员只能看到并办理本单位的分工，"
        "其他单位的编号返回 404；领导和审计人员只读（写操作返回 403）。\n\n"
        "Plans, tasks, units' assignments, progress and supervision of SASAC reform tasks, under the same "
        "access policy as the browser: a reporter sees and acts only on its unit's assignments (other units' "
        "ids answer 404); leaders and auditors read only (writes answer 403)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # ``<id:pk>`` (reform.values.IdConverter): an id, as the model's own primary key is described.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1}},
    "DEFAULT_GENERATOR_CLASS": "reform.api.schema.BilingualSchemaGenerator",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "reform.api.schema.documented_errors",
        "reform.api.schema.bilingual_descriptions",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AssignmentRoleEnum": "tasks.choices.AssignmentRole",
        "UserRoleEnum": "orgs.choices.Role",
        "AssignmentStatusEnum": "tasks.choices.AssignmentStatus",
        "PlanKindEnum": "tasks.choices.PlanKind",
        "UnitKindEnum": "orgs.choices.UnitKind",
        "NotificationKindEnum": "tasks.reminders.choices.Kind",
        "ReportKindEnum": "reports.models.ReportKind",
        "NoticeGradeEnum": "tasks.choices.NoticeGrade",
    },
}

# --- Security -----------------------------------------------------------------------------

# Production defaults pass `manage.py check --deploy`. Behind a proxy that ends TLS, it must set
# X-Forwarded-Proto and TRUST_X_FORWARDED_PROTO be on; a test rig on plain HTTP turns HTTPS off.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", HTTPS)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz and /readyz are asked over plain HTTP by container and load-balancer probes.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
# Preloading asks browser makers to hard-code the domain: for a public domain only, by choice.
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF token from the cookie: forms carry it, htmx sends the form's.
CSRF_COOKIE_HTTPONLY = True
# A form sent without its token answers the platform's own page (or JSON under /api/), in its language.
CSRF_FAILURE_VIEW = "reform.errors.csrf_failure"
# reform.security: no inline script, nothing from another origin. Off only to debug a page.
CONTENT_SECURITY_POLICY = env_bool("CONTENT_SECURITY_POLICY", True)

# JSON lines in production (LOG_FORMAT=json), readable text in development; each line names its request.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "reform.logs.RequestIdFilter"},
        "refusal_without_traceback": {"()": "reform.logs.RefusalWithoutTraceback"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "reform.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "refusal_without_traceback"],
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Each record once, through the root's handler: Django's own console handler (DEBUG on) would
        # print every request's warning a second time, with its traceback.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # WeasyPrint tells every step of every render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
