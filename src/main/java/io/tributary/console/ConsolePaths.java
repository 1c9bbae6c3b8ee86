package io.tributary.console;

/** Where the console lives; its assets are served without a session (the sign-in page needs its CSS). */
final class ConsolePaths {

    static final String ROOT = "/console";
    static final String LOGIN = ROOT + "/login";
    static final String ASSETS = ROOT + "/assets/**";
    static final String INTEGRATIONS = ROOT + "/integrations";

    private ConsolePaths() {
    }
}
