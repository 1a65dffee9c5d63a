"""The archive's contents (台账): the snapshot of a period taken once as of its last day
(`snapshot`, `take`), its machine-readable form and schema version (`data`) and the
register of archives this installation has issued (`register`). `export/` only lays the
snapshot out, signs and verifies."""
