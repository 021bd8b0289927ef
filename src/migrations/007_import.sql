-- 007 import: roster files uploaded for import (src/people/import.c), kept between the preview and
-- the confirmation so that the confirm form posts only the batch id. A batch belongs to the user
-- who uploaded it; batches older than a day are purged at the next upload; once imported, the file
-- itself is dropped (data = x'') and only the name and SHA-256 stay.
CREATE TABLE import_batch (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES user(id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    filename   TEXT NOT NULL CHECK (length(filename) <= 255),
    sha256     TEXT NOT NULL,
    data       BLOB NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done'))
) STRICT;
CREATE INDEX import_batch_user ON import_batch (user_id, created_at);
