package io.tributary.hubspot;

/**
 * HubSpot answered with an error Tributary does not retry (any more). The message is built by
 * Tributary from the status, HubSpot's error category and its scrubbed message: never a token.
 */
public class HubSpotApiException extends RuntimeException {

    private final int status;
    private final String category;

    public HubSpotApiException(int status, String category, String message) {
        super(message);
        this.status = status;
        this.category = category;
    }

    public int status() {
        return status;
    }

    public String category() {
        return category;
    }

    /** 401/403: no later request of the run can succeed either. */
    public boolean permanentForRun() {
        return status == 401 || status == 403;
    }
}
