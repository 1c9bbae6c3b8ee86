package io.tributary.integration;

/** The provider refused the stored refresh token: only the user connecting again can fix it. */
public class ReauthRequiredException extends RuntimeException {

    public ReauthRequiredException(String message) {
        super(message);
    }
}
