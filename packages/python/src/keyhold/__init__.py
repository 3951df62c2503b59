"""Keyhold for Python: the REST client, the gateway verifier and ASGI middleware."""

from . import webhooks
from .asgi import KeyholdMiddleware
from .client import NOT_GIVEN, AsyncAudit, AsyncKeyhold, AsyncWebhooks, Audit, Keyhold, Keys, Permissions, Webhooks
from .config import credentials_path
from .errors import ERROR_CODES, KeyholdConfigError, KeyholdError
from .types import EVENT_TYPES, WebhookEvent
from .verifier import AsyncVerifier, Credits, RateLimit, Verification, Verifier

__version__ = "0.1.0"

__all__ = [
    "AsyncAudit",
    "AsyncKeyhold",
    "AsyncVerifier",
    "AsyncWebhooks",
    "Audit",
    "Credits",
    "ERROR_CODES",
    "EVENT_TYPES",
    "Keyhold",
    "KeyholdConfigError",
    "KeyholdError",
    "KeyholdMiddleware",
    "Keys",
    "NOT_GIVEN",
    "Permissions",
    "RateLimit",
    "Verification",
    "Verifier",
    "WebhookEvent",
    "Webhooks",
    "credentials_path",
    "webhooks",
]
