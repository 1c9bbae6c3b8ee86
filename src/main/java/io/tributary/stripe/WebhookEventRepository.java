package io.tributary.stripe;

import io.tributary.database.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The durable inbox of webhook events: stored once, then claimed and settled by the worker. */
@Repository
public class WebhookEventRepository {

    private static final String COLUMNS = """
            id, workspace_id, integration_id, event_id, type, event_created, payload, status,
            attempts, next_attempt_at, last_error, received_at, processed_at""";

    private final JdbcClient jdbc;

    public WebhookEventRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the event unless this integration already has it; true when this call stored it. */
    public boolean storeOnce(UUID workspaceId, UUID integrationId, StripeEvent event, String body) {
        // The unique key decides, in the database, which of concurrent deliveries is the first.
        return jdbc.sql("""
                        INSERT INTO webhook_events (workspace_id, integration_id, event_id, type, event_created, payload)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (integration_id, event_id) DO NOTHING""")
                .params(workspaceId, integrationId, event.id(), event.type(),
                        Timestamp.from(event.created()), body)
                .update() == 1;
    }

    /**
     * Locks up to limit events that are due, skipping rows another node holds. Call inside a
     * transaction: the locks last until it ends.
     */
    public List<WebhookEvent> claimDue(int limit, int maxAttempts) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_events"
                        + " WHERE status IN ('received', 'failed') AND attempts < ? AND next_attempt_at <= now()"
                        + " ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED")
                .params(maxAttempts, limit)
                .query(WebhookEventRepository::map).list();
    }

    public void markProcessed(List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        UPDATE webhook_events SET status = 'processed', attempts = attempts + 1, processed_at = now(),
                               last_error = NULL
                        WHERE id = ANY (?)""")
                .param(ids.toArray(Long[]::new))
                .update();
        jdbc.sql("""
                        INSERT INTO webhook_event_attempts (event_id, attempt, outcome)
                        SELECT id, attempts, 'processed' FROM webhook_events WHERE id = ANY (?)""")
                .param(ids.toArray(Long[]::new))
                .update();
    }

    /** Records a failed attempt; the event is tried again after the backoff until attempts run out. */
    public void markFailed(long id, String error, Duration backoff) {
        jdbc.sql("""
                        UPDATE webhook_events SET status = 'failed', attempts = attempts + 1, last_error = ?,
                               next_attempt_at = now() + ?::interval
                        WHERE id = ?""")
                .params(error, backoff.toMillis() + " milliseconds", id)
                .update();
        jdbc.sql("""
                        INSERT INTO webhook_event_attempts (event_id, attempt, outcome, error)
                        SELECT id, attempts, 'failed', ? FROM webhook_events WHERE id = ?""")
                .params(error, id)
                .update();
    }

    /** Queues a stored event to be processed again, whatever its state. */
    public boolean requeue(UUID workspaceId, long id) {
        return jdbc.sql("""
                        UPDATE webhook_events SET status = 'received', attempts = 0, next_attempt_at = now()
                        WHERE workspace_id = ? AND id = ?""")
                .params(workspaceId, id).update() == 1;
    }

    public Optional<WebhookEvent> find(UUID workspaceId, long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhook_events WHERE workspace_id = ? AND id = ?")
                .params(workspaceId, id).query(WebhookEventRepository::map).optional();
    }

    public List<WebhookEvent.Attempt> attempts(long eventId) {
        return jdbc.sql("""
                        SELECT attempt, outcome, error, attempted_at FROM webhook_event_attempts
                        WHERE event_id = ? ORDER BY id""")
                .param(eventId)
                .query((rs, n) -> new WebhookEvent.Attempt(rs.getInt("attempt"), rs.getString("outcome"),
                        rs.getString("error"), Rows.instant(rs, "attempted_at")))
                .list();
    }

    /** Filters of the events list; null means any. */
    public record Filter(UUID integrationId, String status, String type) {
    }

    /** Newest first, continuing below beforeId. */
    public List<WebhookEvent> page(UUID workspaceId, Filter filter, long beforeId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS
                + " FROM webhook_events WHERE workspace_id = ? AND id < ?");
        List<Object> params = new ArrayList<>(List.of(workspaceId, beforeId));
        if (filter.integrationId() != null) {
            sql.append(" AND integration_id = ?");
            params.add(filter.integrationId());
        }
        if (filter.status() != null) {
            sql.append(" AND status = ?");
            params.add(filter.status());
        }
        if (filter.type() != null) {
            sql.append(" AND type = ?");
            params.add(filter.type());
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query(WebhookEventRepository::map).list();
    }

    private static WebhookEvent map(ResultSet rs, int rowNum) throws SQLException {
        return new WebhookEvent(rs.getLong("id"), rs.getObject("workspace_id", UUID.class),
                rs.getObject("integration_id", UUID.class), rs.getString("event_id"), rs.getString("type"),
                Rows.instant(rs, "event_created"), rs.getString("payload"), rs.getString("status"),
                rs.getInt("attempts"), rs.getString("last_error"), Rows.instant(rs, "received_at"),
                Rows.instant(rs, "processed_at"));
    }
}
