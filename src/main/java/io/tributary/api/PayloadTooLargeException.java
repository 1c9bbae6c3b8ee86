package io.tributary.api;

import java.io.IOException;

/** Thrown while reading a request body that exceeds its limit; an IOException so readers pass it up. */
public class PayloadTooLargeException extends IOException {

    public PayloadTooLargeException(long limit) {
        super("Request body exceeds " + limit + " bytes");
    }
}
