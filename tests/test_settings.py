"""Settings come from the environment; production is strict, development needs nothing."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-1234567890",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "book.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
    "EMAIL_URL": "smtp://mailer:pw@smtp.example.com:587",
    "ZOOM_CLIENT_ID": "prod-client",
    "ZOOM_CLIENT_SECRET": "prod-secret",
    "ZOOM_REDIRECT_URI": "https://book.example.com/integrations/zoom/callback/",
    "ZOOM_WEBHOOK_SECRET_TOKEN": "prod-webhook-secret",
    "SITE_URL": "https://book.example.com",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_without_warnings_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_encryption_keys():
    env = {k: v for k, v in PRODUCTION.items() if k != "FIELD_ENCRYPTION_KEYS"}

    result = run_manage("check", env=env)

    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS is not set" in result.stderr


def test_production_points_zoom_at_zoom_and_development_at_the_sandbox(tmp_path):
    show = (
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; print(s.ZOOM_OAUTH_BASE_URL, s.ZOOM_API_BASE_URL)",
    )

    production = run_manage(*show, env=PRODUCTION)
    development = run_manage(*show, env={"DEBUG": "1", "SLOTWISE_VAR_DIR": str(tmp_path)})

    assert production.stdout.split() == ["https://zoom.us", "https://api.zoom.us/v2"]
    assert development.stdout.split() == ["http://127.0.0.1:8001", "http://127.0.0.1:8001/v2"]


def test_development_generates_and_keeps_its_own_secrets(tmp_path):
    show = (
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings as s; print(s.SECRET_KEY, s.FIELD_ENCRYPTION_KEYS[0])",
    )
    env = {"DEBUG": "1", "SLOTWISE_VAR_DIR": str(tmp_path)}

    first = run_manage(*show, env=env)
    second = run_manage(*show, env=env)

    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    Fernet(first.stdout.split()[1].encode())  # a valid key


def test_email_url_selects_smtp_with_tls():
    from slotwise.env import email_settings_from_url

    conf = email_settings_from_url("smtp://user%40x:p%3Ass@mail.example.com:2525")

    assert conf["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (conf["EMAIL_HOST"], conf["EMAIL_PORT"]) == ("mail.example.com", 2525)
    assert (conf["EMAIL_HOST_USER"], conf["EMAIL_HOST_PASSWORD"]) == ("user@x", "p:ss")
    assert conf["EMAIL_USE_TLS"] is True


def test_email_url_dummy_discards_mail():
    from slotwise.env import email_settings_from_url

    conf = email_settings_from_url("dummy:")

    assert conf == {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
