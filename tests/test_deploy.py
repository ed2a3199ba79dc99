"""The files of deploy/: systemd units and timers, the nginx site, the backup.

``bin/verify_deploy.sh`` checks the units with ``systemd-analyze verify``
and the site with ``nginx -t``; the tests run it where those programs are
installed and skip it elsewhere. tests/test_behind_nginx.py runs the site in
front of real app servers.
"""

import os
import re
import shutil
import stat
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import get_commands
from django.db import connection

from tests.subprocesses import child_environment

BASE_DIR = Path(__file__).resolve().parent.parent
UNITS = BASE_DIR / "deploy" / "systemd"
VERIFY = BASE_DIR / "bin" / "verify_deploy.sh"
BACKUP = BASE_DIR / "deploy" / "backup.sh"
# Where README.md ("Deploying") puts the checkout.
CHECKOUT = "/srv/wabp/"
# The commands of README.md ("Deploying", "Privacy") that timers start: daily,
# and the waiting list's hourly run.
DAILY_COMMANDS = {
    "send_reminders",
    "purge_personal_data",
    "notify_waiting_list",
    "send_reconfirmations",
}

requires_systemd_analyze = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None,
    reason="systemd-analyze is not installed (Debian: the systemd package)",
)


def run_verify(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own script)
        [str(VERIFY), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=child_environment(),
    )


def setting(unit: Path, key: str) -> list[str]:
    """The values of ``key`` in a unit file, in order."""
    return re.findall(rf"^{key}=(.*)$", unit.read_text(), re.M)


@requires_systemd_analyze
def test_the_units_and_the_site_pass_their_programs_checks():
    result = run_verify()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAILED" not in result.stdout + result.stderr


@requires_systemd_analyze
def test_a_misspelt_setting_fails_the_check(tmp_path):
    # systemd only warns of a setting it does not know, and runs the unit
    # without it: here a mail worker that would never be restarted.
    for unit in UNITS.iterdir():
        shutil.copy(unit, tmp_path)
    worker = tmp_path / "wabp-mail-worker.service"
    worker.write_text(worker.read_text().replace("\nRestart=", "\nRestrat="))

    result = run_verify(str(tmp_path))
    assert result.returncode != 0
    assert "Restrat" in result.stderr


def test_each_daily_command_has_a_timer_and_a_oneshot_service():
    commands = set()
    for timer in UNITS.glob("*.timer"):
        service = timer.with_suffix(".service")
        assert service.exists(), f"{timer.name} starts no {service.name}"
        assert setting(service, "Type") == ["oneshot"], service.name
        assert setting(timer, "Persistent") == ["true"], timer.name
        (start,) = setting(service, "ExecStart")
        if " manage.py " in start:
            commands.add(start.split(" manage.py ")[1].split()[0])
    assert commands >= DAILY_COMMANDS
    assert commands <= set(get_commands()), "a timer starts a command that is gone"


def test_the_units_start_only_what_the_checkout_holds():
    for unit in UNITS.glob("*.service"):
        for line in setting(unit, "ExecStart"):
            for word in line.split():
                if word.startswith(CHECKOUT) and "/.venv/" not in word:
                    path = BASE_DIR / word.removeprefix(CHECKOUT)
                    assert path.exists(), f"{unit.name}: {word}"
                elif word.endswith(".py") and not word.startswith("/"):
                    assert (BASE_DIR / word).exists(), f"{unit.name}: {word}"
    (web,) = setting(UNITS / "wabp-web.service", "ExecStart")
    assert "--config /srv/wabp/deploy/gunicorn.conf.py" in web


def test_every_service_runs_as_the_portals_user_in_a_read_only_system():
    for unit in UNITS.glob("*.service"):
        assert setting(unit, "User") == ["wabp"], unit.name
        assert setting(unit, "NoNewPrivileges") == ["yes"], unit.name
        assert setting(unit, "ProtectSystem") == ["strict"], unit.name
        assert setting(unit, "PrivateTmp") == ["yes"], unit.name
        assert setting(unit, "EnvironmentFile") == ["/etc/wabp/env"], unit.name


# The backup ------------------------------------------------------------------


def url_of_the_test_database() -> str:
    config = connection.settings_dict
    credentials = quote(config["USER"] or "", safe="")
    if config["PASSWORD"]:
        credentials += ":" + quote(config["PASSWORD"], safe="")
    return (
        f"postgres://{credentials}@{config['HOST'] or '127.0.0.1'}"
        f":{config['PORT'] or 5432}/{quote(config['NAME'], safe='')}"
    )


def run_backup(tmp_path: Path, database_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own script)
        [str(BACKUP)],
        capture_output=True,
        text=True,
        timeout=120,
        env=child_environment(
            DATABASE_URL=database_url,
            MEDIA_ROOT=str(tmp_path / "media"),
            BACKUP_DIR=str(tmp_path / "backups"),
        ),
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql" or shutil.which("pg_dump") is None,
    reason="the backup runs pg_dump: PostgreSQL and its client programs",
)
@pytest.mark.django_db
def test_the_backup_holds_the_database_and_the_uploads_of_the_night(tmp_path):
    pdf = tmp_path / "media" / "house-rules" / "huishoudelijk-reglement.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.4\n")
    backups = tmp_path / "backups"
    backups.mkdir()
    too_old = backups / "db-2020-01-01.dump"
    kept = backups / "db-2020-01-02.dump"
    for path, days in ((too_old, 15), (kept, 13)):
        path.write_bytes(b"")
        then = path.stat().st_mtime - days * 86400
        os.utime(path, (then, then))

    result = run_backup(tmp_path, url_of_the_test_database())
    assert result.returncode == 0, result.stderr

    day = date.today().isoformat()
    dump, media = backups / f"db-{day}.dump", backups / f"media-{day}.tar.gz"
    contents = subprocess.run(  # noqa: S603, S607
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"TABLE DATA public registrations_signup ", contents)
    listing = subprocess.run(  # noqa: S603, S607
        ["tar", "-tzf", str(media)], capture_output=True, text=True, check=True
    ).stdout
    assert "media/house-rules/huishoudelijk-reglement.pdf" in listing.splitlines()
    for backup in (dump, media):
        assert stat.S_IMODE(backup.stat().st_mode) == 0o600, backup.name
    assert not too_old.exists()
    assert kept.exists()
    assert not list(backups.glob(".*")), "a partial file was left behind"


def test_the_backup_refuses_a_database_that_is_not_postgresql(tmp_path):
    result = run_backup(tmp_path, "sqlite:///db.sqlite3")
    assert result.returncode != 0
    assert "not a PostgreSQL database" in result.stderr


def test_the_import_worker_runs_always_like_the_mail_worker():
    # Staff's street imports wait for it (README, "Deploying").
    unit = UNITS / "wabp-import-worker.service"
    assert setting(unit, "ExecStart") == [
        "/srv/wabp/.venv/bin/python manage.py run_imports"
    ]
    assert setting(unit, "Restart") == ["always"]
    assert setting(unit, "Type") == ["exec"]
    assert "run_imports" in get_commands()
