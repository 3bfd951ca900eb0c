"""audit chain: hash columns and append-only triggers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 00:40:00

Each audit event gets `prev_hash` (unique: the chain cannot fork) and `hash`; the events already there are
chained in id order. Then triggers refuse UPDATE and DELETE on audit_event (TRUNCATE stays possible on
PostgreSQL: the tests empty their database with it).

On SQLite a later batch_alter_table('audit_event') rebuilds the table and loses these triggers: such a
migration must create them again (tests/test_audit_chain.py checks the migrated head refuses both).
"""
import hashlib
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
REFUSED = "audit_event is append-only: {} refused"

SQLITE_TRIGGERS = {
    "audit_event_no_update": "UPDATE",
    "audit_event_no_delete": "DELETE",
}
POSTGRESQL_FUNCTION = """
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
END
$$
"""
POSTGRESQL_TRIGGER = """
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
"""


def _hash_v1(row, prev_hash):
    """The event hash as contest/services/audit_chain.py computed it when this migration was written."""
    fields = ["audit-v1", row.id, row.actor_id, row.action, row.object_type, row.object_id, row.detail, row.ip,
              row.created_at.isoformat(timespec="microseconds"), prev_hash]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


def _chain_existing_events():
    """Chain the events recorded before this revision, in id order."""
    events = sa.table(
        "audit_event", sa.column("id", sa.Integer), sa.column("actor_id", sa.Integer),
        sa.column("action", sa.String), sa.column("object_type", sa.String), sa.column("object_id", sa.Integer),
        sa.column("detail", sa.String), sa.column("ip", sa.String), sa.column("created_at", sa.DateTime),
        sa.column("prev_hash", sa.String), sa.column("hash", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(events).order_by(events.c.id)).all()
    prev_hash = GENESIS
    for row in rows:
        digest = _hash_v1(row, prev_hash)
        bind.execute(events.update().where(events.c.id == row.id).values(prev_hash=prev_hash, hash=digest))
        prev_hash = digest


def _create_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(POSTGRESQL_TRIGGER)
        return
    for name, operation in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} BEFORE {operation} ON audit_event "
                   f"BEGIN SELECT RAISE(ABORT, '{REFUSED.format(operation)}'); END")


def _drop_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
        return
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    _chain_existing_events()
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_prev_hash'), ['prev_hash'])
    _create_triggers()


def downgrade():
    _drop_triggers()
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_prev_hash'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
