package io.tributary.ingest;

/** One reason a pushed record was refused: which record (index in the batch), which field, why. */
public record Violation(int index, String field, String message) {
}
