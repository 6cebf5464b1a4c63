"""Full-text search of the portfolio (portfolio.search). Each record gets a search vector of its
words, weighted (A its title, B its description or question, C the rest), kept current on
PostgreSQL by a trigger and read through a GIN index; on SQLite the column stays empty and the
search falls back to matching text.

Why a trigger rather than the services: every writer (the services, seed_demo, factories, a data
migration, a bulk update) keeps the vector current without having to remember to. Why not a
GeneratedField: its expression must also compile on SQLite, which has no to_tsvector. The index is
made here rather than in the models' Meta, so SQLite never sees a GIN index.
"""

import django.contrib.postgres.search
from django.db import migrations

# (table, {weight: columns}): the weights portfolio.search.SEARCHED gives each field.
_SEARCHED = {
    "portfolio_evidence": {"A": ["title"], "B": ["description"], "C": ["body"], "D": ["url"]},
    "portfolio_reflection": {"A": ["title"], "C": ["body"]},
    "portfolio_enquiry": {
        "A": ["title"],
        "B": ["question"],
        "C": [
            "rationale",
            "reading",
            "method",
            "ethics",
            "consent_record",
            "data",
            "analysis",
            "findings",
            "impact",
            "next_steps",
        ],
    },
}


def _text(column: str) -> str:
    # A link's address is read as words ("https://example.org/wait-time" as "https example org wait
    # time"): the parser would otherwise keep it whole, and no word typed would find it.
    if column == "url":
        return "regexp_replace(coalesce(NEW.url, ''), '[^[:alnum:]]+', ' ', 'g')"
    return f"coalesce(NEW.{column}, '')"


def trigger_sql(table: str, weighted: dict[str, list[str]]) -> str:
    """A BEFORE INSERT OR UPDATE trigger that sets search_vector from the row's own columns. HTML
    tags in rich text are read as tags by PostgreSQL's parser and left out of the vector."""
    parts = " || ".join(
        f"setweight(to_tsvector('english'::regconfig, {_text(column)}), '{weight}')"
        for weight, columns in weighted.items()
        for column in columns
    )
    columns = ", ".join([c for cs in weighted.values() for c in cs] + ["search_vector"])
    return f"""
CREATE OR REPLACE FUNCTION {table}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector := {parts};
    RETURN NEW;
END;
$$;
CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF {columns} ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_search_vector();
UPDATE {table} SET search_vector = NULL;
CREATE INDEX {table}_search_gin ON {table} USING gin (search_vector);
"""


def drop_sql(table: str) -> str:
    return f"""
DROP INDEX IF EXISTS {table}_search_gin;
DROP TRIGGER IF EXISTS {table}_search_vector ON {table};
DROP FUNCTION IF EXISTS {table}_search_vector();
"""


def _on_postgresql(make):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table, weighted in _SEARCHED.items():
                schema_editor.execute(make(table, weighted), params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0004_library_summary")]

    operations = [
        *(
            migrations.AddField(
                model_name=model,
                name="search_vector",
                field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
            )
            for model in ("enquiry", "evidence", "reflection")
        ),
        migrations.RunPython(
            _on_postgresql(trigger_sql), _on_postgresql(lambda table, _: drop_sql(table)), elidable=False
        ),
    ]
