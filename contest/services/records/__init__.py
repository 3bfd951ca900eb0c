"""Records that must not be lost or altered: the audit trail and its hash chain, integrity checks, backup
and restore."""
