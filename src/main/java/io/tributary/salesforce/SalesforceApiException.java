package io.tributary.salesforce;

/**
 * Salesforce answered with an error Tributary reports as such. The message is built from the
 * status, Salesforce's errorCode and its scrubbed message: never a token.
 */
public class SalesforceApiException extends RuntimeException {

    private final int status;
    private final String errorCode;

    public SalesforceApiException(int status, String errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }
}
