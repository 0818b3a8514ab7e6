"""On PostgreSQL, the audit log refuses UPDATE, and DELETE outside the retention purge.

The application already refuses both (models.AuditEntry); the trigger also stops a change
made with SQL by the application's own database user. `audit_purge` deletes inside a
transaction that has run `SET LOCAL hoptac.audit_purge = 'on'`. TRUNCATE is left alone (the
test runner empties tables with it). Other databases (SQLite): nothing to do.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION accounts_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('hoptac.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_auditentry_append_only
    BEFORE UPDATE OR DELETE ON accounts_auditentry
    FOR EACH ROW EXECUTE FUNCTION accounts_auditentry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS accounts_auditentry_append_only ON accounts_auditentry;
DROP FUNCTION IF EXISTS accounts_auditentry_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_auditentry_create"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
    ]
