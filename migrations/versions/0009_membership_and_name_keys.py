"""membership and organization name keys: an account for an organization already on file waits to be let in;
organizations compared by their names in one normal form

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 22:40:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_INVISIBLE = frozenset(("Cf", "Cc", "Zs", "Zl", "Zp"))


def _key(name):
    # contest.domain.conflicts.org_key as it was when this migration was written (a migration keeps its rules)
    visible = "".join(c for c in unicodedata.normalize("NFKC", name or "")
                      if not c.isspace() and unicodedata.category(c) not in _INVISIBLE)
    return unicodedata.normalize("NFKC", visible.casefold())


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('membership', sa.Enum('member', 'pending', 'refused', name='membership',
                                                             native_enum=False, create_constraint=True, length=32),
                                      server_default='member', nullable=False))
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=120), nullable=True))
    connection = op.get_bind()
    organization = sa.table('organization', sa.column('id', sa.Integer), sa.column('name', sa.String),
                            sa.column('name_key', sa.String))
    seen = set()
    for org_id, name in connection.execute(sa.select(organization.c.id, organization.c.name)
                                           .order_by(organization.c.id)).all():
        key = _key(name)
        if key in seen:  # two organizations on file whose names differ only in form: both kept, told apart
            key = f"{key}#{org_id}"
        seen.add(key)
        connection.execute(organization.update().where(organization.c.id == org_id).values(name_key=key))
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sa.String(length=120), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_organization_name_key'), ['name_key'])


def downgrade():
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_organization_name_key'), type_='unique')
        batch_op.drop_column('name_key')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_account_membership'), type_='check')
        batch_op.drop_column('membership')
