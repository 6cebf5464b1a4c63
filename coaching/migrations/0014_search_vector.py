"""Full-text search of agreed dialogue logs (portfolio.search): a weighted search vector of the
log's words (A its focus, C the record and the participant's reflection), kept current on
PostgreSQL by a trigger and read through a GIN index; on SQLite the column stays empty and the
search falls back to matching text. Why a trigger and not the services or a GeneratedField: see
portfolio/migrations/0005_search_vector.py. Drafts get a vector too; the search reads agreed logs only.
"""

import django.contrib.postgres.search
from django.db import migrations

_TABLE = "coaching_dialoguelog"
_WEIGHTED = {
    "A": ["focus"],
    "C": ["discussed", "strengths", "pupil_outcomes", "evidence_considered", "participant_reflection"],
}
_PARTS = " || ".join(
    f"setweight(to_tsvector('english'::regconfig, coalesce(NEW.{column}, '')), '{weight}')"
    for weight, columns in _WEIGHTED.items()
    for column in columns
)
_COLUMNS = ", ".join([c for cs in _WEIGHTED.values() for c in cs] + ["search_vector"])

_CREATE = f"""
CREATE OR REPLACE FUNCTION {_TABLE}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := {_PARTS};
    RETURN NEW;
END;
$$;
CREATE TRIGGER {_TABLE}_search_vector BEFORE INSERT OR UPDATE OF {_COLUMNS} ON {_TABLE}
    FOR EACH ROW EXECUTE FUNCTION {_TABLE}_search_vector();
UPDATE {_TABLE} SET search_vector = NULL;
CREATE INDEX {_TABLE}_search_gin ON {_TABLE} USING gin (search_vector);
"""
_DROP = f"""
DROP INDEX IF EXISTS {_TABLE}_search_gin;
DROP TRIGGER IF EXISTS {_TABLE}_search_vector ON {_TABLE};
DROP FUNCTION IF EXISTS {_TABLE}_search_vector();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("coaching", "0013_log_by_enrolment_status")]

    operations = [
        migrations.AddField(
            model_name="dialoguelog",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(_on_postgresql(_CREATE), _on_postgresql(_DROP), elidable=False),
    ]
