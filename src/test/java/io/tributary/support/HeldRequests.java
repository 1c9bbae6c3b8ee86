package io.tributary.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Requests a test double accepts and does not answer yet: to make a call hang (a provider that
 * never answers), or to put two calls in a chosen order. A held request is answered, from the
 * double's state at that moment, once it is released (or the double is reset).
 */
public final class HeldRequests {

    /** The longest a request stays held: past every test, so "never" for the app under test. */
    private static final Duration LONGEST = Duration.ofMinutes(10);

    /**
     * One request to hold: the first of one portal or org (the tests share a double) whose path starts
     * with the prefix, after some such requests passed.
     */
    public static final class Hold {
        private final Object owner;
        private final String pathPrefix;
        private int toPass;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        private Hold(Object owner, String pathPrefix, int toPass) {
            this.owner = owner;
            this.pathPrefix = pathPrefix;
            this.toPass = toPass;
        }

        /** Waits until the request has arrived and is being held. */
        public void awaitArrival(Duration timeout) throws InterruptedException {
            if (!arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("no request to " + pathPrefix + " arrived within " + timeout);
            }
        }

        public boolean hasArrived() {
            return arrived.getCount() == 0;
        }

        /** Lets the double answer it. */
        public void release() {
            released.countDown();
        }
    }

    private final List<Hold> waiting = new ArrayList<>();
    private final List<Hold> holding = new ArrayList<>();

    /** Holds a request of the owner whose path starts with the prefix, once passFirst such requests were answered. */
    synchronized Hold hold(Object owner, String pathPrefix, int passFirst) {
        Hold hold = new Hold(owner, pathPrefix, passFirst);
        waiting.add(hold);
        return hold;
    }

    /** Releases every hold, arrived or not. */
    public synchronized void releaseAll() {
        waiting.forEach(Hold::release);
        holding.forEach(Hold::release);
        waiting.clear();
        holding.clear();
    }

    /**
     * Called on the double's thread before it answers (owner: whose token the request carries, null
     * when none): blocks while a hold takes this request.
     */
    void pass(Object owner, String path) {
        if (owner == null) {
            return;
        }
        Hold hold = take(owner, path);
        if (hold == null) {
            return;
        }
        hold.arrived.countDown();
        try {
            hold.released.await(LONGEST.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Hold take(Object owner, String path) {
        for (Hold hold : waiting) {
            if (hold.owner == owner && path.startsWith(hold.pathPrefix) && hold.toPass-- <= 0) {
                waiting.remove(hold);
                holding.add(hold);
                return hold;
            }
        }
        return null;
    }
}
