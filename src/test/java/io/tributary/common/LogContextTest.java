package io.tributary.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

    private final UUID integration = UUID.randomUUID();
    private final UUID firstRun = UUID.randomUUID();
    private final UUID secondRun = UUID.randomUUID();

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void contextsNestAndClosingPutsBackWhatWasThere() {
        try (LogContext job = LogContext.forIntegration(integration)) {
            try (LogContext run = LogContext.forRun(firstRun)) {
                assertThat(MDC.get(LogContext.INTEGRATION_ID)).isEqualTo(integration.toString());
                assertThat(MDC.get(LogContext.SYNC_RUN_ID)).isEqualTo(firstRun.toString());
                try (LogContext inner = LogContext.forRun(secondRun)) {
                    assertThat(MDC.get(LogContext.SYNC_RUN_ID)).isEqualTo(secondRun.toString());
                }
                assertThat(MDC.get(LogContext.SYNC_RUN_ID)).isEqualTo(firstRun.toString());
            }
            assertThat(MDC.get(LogContext.SYNC_RUN_ID)).isNull();
            assertThat(MDC.get(LogContext.INTEGRATION_ID)).isEqualTo(integration.toString());
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void propagatedWorkSeesTheCallersContextAndLeavesThePoolThreadAsItWas() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            pool.submit(() -> MDC.put("thread_own", "kept")).get();
            String seen;
            try (LogContext run = LogContext.forRun(firstRun)) {
                seen = CompletableFuture.supplyAsync(LogContext.propagate(
                        () -> MDC.get(LogContext.SYNC_RUN_ID) + "/" + MDC.get("thread_own")), pool).get();
            }
            assertThat(seen).isEqualTo(firstRun + "/null");
            assertThat(pool.submit(() -> MDC.get("thread_own") + "/" + MDC.get(LogContext.SYNC_RUN_ID)).get())
                    .isEqualTo("kept/null");
        } finally {
            pool.shutdownNow();
        }
    }
}
