package io.tributary.sync;

import java.time.Instant;

/** Where an incremental sync resumes: the last committed modification time, and the id that broke ties. */
public record Cursor(Instant time, String id) {
}
