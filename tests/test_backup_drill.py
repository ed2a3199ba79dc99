"""The backup drill (``make backup-drill``, ``bin/backup_drill.py``).

It dumps the database with pg_dump, restores the dump into a scratch database
and compares the row counts table by table. The drill itself runs on
PostgreSQL only; its refusals and its comparison run everywhere.
"""

import importlib.util
import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection

from groups.models import PoliceZone
from registrations.models import Signup
from tests.factories import SignupFactory
from tests.subprocesses import child_environment

BASE_DIR = Path(__file__).resolve().parent.parent
SCRIPT = BASE_DIR / "bin" / "backup_drill.py"

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the backup drill runs pg_dump and pg_restore, so it needs PostgreSQL "
    "(set DATABASE_URL to run it)",
)


def load_drill():
    spec = importlib.util.spec_from_file_location("backup_drill", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


drill = load_drill()


def run_drill(database_url: str | None, *args: str) -> subprocess.CompletedProcess:
    env = child_environment(drop={"DATABASE_URL"})
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, str(SCRIPT), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def url_of_the_test_database() -> str:
    """The URL of the test database, which pytest-django created."""
    config = connection.settings_dict
    credentials = quote(config["USER"] or "", safe="")
    if config["PASSWORD"]:
        credentials += ":" + quote(config["PASSWORD"], safe="")
    options = {
        key: value
        for key, value in (config.get("OPTIONS") or {}).items()
        if isinstance(value, str)
    }
    query = f"?{urlencode(options)}" if options else ""
    return (
        f"postgres://{credentials}@{quote(config['HOST'] or '', safe='')}"
        f":{config['PORT'] or 5432}/{quote(config['NAME'], safe='')}{query}"
    )


def database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def count_line(table: str, count: int) -> str:
    return rf"^public\.{table}\s+{count}\s+{count}\s+OK$"


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_drill_restores_every_table_with_the_same_row_count():
    signups = SignupFactory.create_batch(3)
    scratch = connection.settings_dict["NAME"] + "_drill"

    result = run_drill(url_of_the_test_database(), "--sequences")

    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout
    assert re.search(count_line(Signup._meta.db_table, 3), output, re.M)
    zones = PoliceZone.objects.count()
    assert re.search(count_line(PoliceZone._meta.db_table, zones), output, re.M)
    named = set(re.findall(r"^public\.(\w+)\s+\d+\s+\d+\s+OK$", output, re.M))
    tables = {
        info.name
        for info in connection.introspection.get_table_list(connection.cursor())
        if info.type == "t"
    }
    assert tables <= named
    assert "DIFF" not in output
    assert re.search(r"^OK: \d+ tables, \d+ rows, \d+ sequences", output, re.M)
    assert re.search(r"^Dump: .*\d+ bytes", output, re.M)
    for signup in signups:
        assert signup.email not in output
        assert str(signup.phone) not in output
    assert not database_exists(scratch)


@requires_postgresql
@pytest.mark.django_db
def test_drill_never_drops_a_database_it_did_not_create():
    # PostgreSQL refuses to drop a template database, should the guard fail.
    result = run_drill(url_of_the_test_database(), "--scratch", "template1")

    assert result.returncode == 2
    assert "did not create" in result.stderr
    assert database_exists("template1")


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most systems start with: new files are world-readable."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_kept_dump_is_readable_by_its_owner_only(tmp_path, usual_umask):
    dump = tmp_path / "wabp.dump"

    result = run_drill(url_of_the_test_database(), "--output", str(dump))

    assert result.returncode == 0, result.stdout + result.stderr
    assert dump.stat().st_size > 0
    assert mode(dump) == 0o600


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_temporary_dump_is_private_in_a_private_directory(monkeypatch, usual_umask):
    """As pg_dump finishes: the dump 0600, in a directory only its owner opens."""
    seen = {}
    run_tool = drill.run_tool

    def watched(program, arguments, database):
        run_tool(program, arguments, database)
        if program == "pg_dump":
            (option,) = [a for a in arguments if a.startswith("--file=")]
            dump = Path(option.removeprefix("--file="))
            seen.update(dump=mode(dump), directory=mode(dump.parent))

    monkeypatch.setattr(drill, "run_tool", watched)
    monkeypatch.setenv("DATABASE_URL", url_of_the_test_database())

    assert drill.main([]) == 0
    assert seen == {"dump": 0o600, "directory": 0o700}


def test_private_file_is_created_for_its_owner_only(tmp_path, usual_umask):
    path = tmp_path / "new.dump"

    drill.private_file(path)

    assert path.read_bytes() == b""
    assert mode(path) == 0o600


def test_private_file_narrows_and_empties_an_earlier_dump(tmp_path, usual_umask):
    path = tmp_path / "earlier.dump"
    path.write_bytes(b"last week's rows")
    path.chmod(0o644)

    drill.private_file(path)

    assert path.read_bytes() == b""
    assert mode(path) == 0o600


def test_private_file_refuses_a_symbolic_link(tmp_path):
    """A link planted where the dump goes could send it anywhere."""
    target = tmp_path / "elsewhere"
    target.write_bytes(b"")
    link = tmp_path / "drill.dump"
    link.symlink_to(target)

    with pytest.raises(drill.Failed, match="Cannot create the dump file"):
        drill.private_file(link)


def test_a_table_with_another_count_or_missing_on_one_side_differs():
    rows = drill.compare(
        {"public.same": 2, "public.fewer": 5, "public.only_source": 1},
        {"public.same": 2, "public.fewer": 4, "public.only_restored": 0},
    )

    assert {row.name: row.ok for row in rows} == {
        "public.fewer": False,
        "public.only_restored": False,
        "public.only_source": False,
        "public.same": True,
    }


def test_a_sequence_restored_outside_its_values_during_the_dump_differs():
    before = {"public.a": 10, "public.b": 10, "public.c": "unused", "public.d": 1}
    after = {"public.a": 15, "public.b": 15, "public.c": "unused", "public.d": 1}
    restored = {"public.a": 12, "public.b": 16, "public.c": "unused"}

    rows = drill.compare_sequences(before, after, restored)

    assert {row.name: row.ok for row in rows} == {
        "public.a": True,
        "public.b": False,
        "public.c": True,
        "public.d": False,
    }


@pytest.mark.parametrize(
    "database_url",
    [None, "sqlite:///unused.sqlite3", "mysql://wabp@127.0.0.1/wabp"],
)
def test_drill_refuses_a_database_that_is_not_postgresql(database_url):
    result = run_drill(database_url)

    assert result.returncode == 2
    assert "PostgreSQL" in result.stderr
    assert result.stdout == ""


def test_drill_refuses_to_restore_over_the_source():
    # Refused before connecting: nothing listens on port 1.
    result = run_drill("postgres://wabp@127.0.0.1:1/wabp", "--scratch", "wabp")

    assert result.returncode == 2
    assert "cannot be the source" in result.stderr
