"""The restore drill (deploy/README.md, "Backups"): make a database, write rows and private files,
back up, drop both, restore, and find everything back. Runs on the PostgreSQL that scripts/test starts."""

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")

pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")), reason="the drill needs PostgreSQL (scripts/test)"
)


def _url(database: str) -> str:
    return urlunsplit(urlsplit(DATABASE_URL)._replace(path=f"/{database}"))


def _psql(url: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", url, "-XtAq", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def _script(name: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / name), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **env},
    )


@pytest.fixture
def drill_database():
    name = f"mtl_restore_drill_{os.getpid()}"
    maintenance = _url("postgres")
    _psql(maintenance, f"DROP DATABASE IF EXISTS {name}")
    _psql(maintenance, f"CREATE DATABASE {name}")
    yield name
    _psql(maintenance, f"DROP DATABASE IF EXISTS {name}")


def test_a_backup_restores_the_database_and_the_private_files_after_both_are_lost(tmp_path, drill_database):
    url = _url(drill_database)
    # Rows, a sequence and a trigger like the audit trail's, so the schema's objects come back too.
    _psql(
        url,
        """
        CREATE TABLE evidence (id bigserial PRIMARY KEY, title text NOT NULL, stored_as text NOT NULL);
        CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN RAISE EXCEPTION 'append-only'; END $$;
        CREATE TRIGGER evidence_append_only BEFORE UPDATE OR DELETE ON evidence
          FOR EACH ROW EXECUTE FUNCTION refuse_change();
        INSERT INTO evidence (title, stored_as)
          SELECT 'Lesson study ' || n, 'evidence/' || n || '.pdf' FROM generate_series(1, 250) AS n;
        """,
    )
    media = tmp_path / "private_media"
    (media / "evidence").mkdir(parents=True)
    for n in (1, 2, 250):
        (media / "evidence" / f"{n}.pdf").write_bytes(b"%PDF-1.7 evidence " + str(n).encode())
    env = {"DATABASE_URL": url, "PRIVATE_MEDIA_DIR": str(media)}

    backup = _script("backup", str(tmp_path / "backups"), env=env)
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert sorted(p.name for p in folder.iterdir()) == ["SHA256SUMS", "database.dump", "private_media.tar.gz"]

    # Disaster: the database and the files are gone.
    _psql(_url("postgres"), f"DROP DATABASE {drill_database}")
    subprocess.run(["rm", "-rf", str(media)], check=True)

    refused = _script("restore", str(folder), env=env)
    assert refused.returncode == 2
    assert "--yes" in refused.stderr

    restored = _script("restore", str(folder), "--yes", env=env)
    assert restored.returncode == 0, restored.stderr
    assert _psql(url, "SELECT count(*), min(title), max(id) FROM evidence") == "250|Lesson study 1|250"
    assert _psql(url, "INSERT INTO evidence (title, stored_as) VALUES ('new', 'x') RETURNING id") == "251"
    with pytest.raises(subprocess.CalledProcessError):
        _psql(url, "DELETE FROM evidence")  # the trigger came back too
    assert sorted(p.name for p in (media / "evidence").iterdir()) == ["1.pdf", "2.pdf", "250.pdf"]
    assert (media / "evidence" / "250.pdf").read_bytes() == b"%PDF-1.7 evidence 250"


def test_a_damaged_backup_is_refused_before_anything_is_replaced(tmp_path, drill_database):
    url = _url(drill_database)
    _psql(url, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (7)")
    media = tmp_path / "private_media"
    media.mkdir()
    (media / "kept.txt").write_text("still here")
    env = {"DATABASE_URL": url, "PRIVATE_MEDIA_DIR": str(media)}
    backup = _script("backup", str(tmp_path / "backups"), env=env)
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    _psql(url, "INSERT INTO kept VALUES (8)")
    (folder / "database.dump").write_bytes(b"not a dump")

    result = _script("restore", str(folder), "--yes", env=env)
    assert result.returncode != 0
    assert _psql(url, "SELECT string_agg(n::text, ',' ORDER BY n) FROM kept") == "7,8"
    assert (media / "kept.txt").read_text() == "still here"
