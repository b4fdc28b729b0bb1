"""Settings of the web service: the core ``vaardig`` settings plus the knobs only a server has.

Every field is read from ``VAARDIG_<FIELD>`` (and the TOML file), like the core settings:

    VAARDIG_DATABASE_URL=postgresql+psycopg://vaardig@db/vaardig \
    VAARDIG_MAX_UPLOAD_BYTES=5000000 vaardig serve --port 8000
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from vaardig.settings import Settings


class ServiceSettings(Settings):
    """Core settings (data dir, database URL, encoder, ...) plus limits, jobs and cookies."""

    # Uploads: one file, one page count, one request (bytes), files in one request.
    max_upload_bytes: int = Field(default=10_000_000, ge=1)
    max_pages: int = Field(default=50, ge=1)
    max_request_bytes: int = Field(default=50_000_000, ge=1)
    max_files_per_request: int = Field(default=20, ge=1)
    # A feed is read from a temporary file, so it may be larger than a single upload.
    max_feed_bytes: int = Field(default=200_000_000, ge=1)
    max_text_chars: int = Field(default=200_000, ge=1)
    # A request that has not started its response after this long gets a 504.
    request_timeout_s: float = Field(default=120.0, gt=0)
    job_workers: int = Field(default=1, ge=1)
    # Signs login cookies and derives network pseudonyms; generated into the data dir if unset.
    secret_key: str | None = None
    # Lets the operator create organisations over HTTP (X-Operator-Token); off when unset.
    operator_token: str | None = None
    cookie_secure: bool = False  # set to true behind HTTPS
    session_hours: float = Field(default=12.0, gt=0)
    # How often the retention sweep runs (hours); 0 turns it off.
    retention_sweep_hours: float = Field(default=6.0, ge=0)
    log_level: str = "INFO"
    # Load taxonomy, index and extractor at start-up (in the background; /ready waits for it).
    preload: bool = False

    @classmethod
    def from_core(cls, settings: Settings) -> ServiceSettings:
        """Service settings that keep every value of ``settings`` (service knobs from env)."""
        if isinstance(settings, ServiceSettings):
            return settings
        return cls(**settings.model_dump(exclude_unset=False))


@lru_cache(maxsize=1)
def get_service_settings() -> ServiceSettings:
    """The process-wide service settings (read once)."""
    return ServiceSettings()
