"""One concept at a time, mirroring `workflows/` (and `bot/`, `storage/`)."""
