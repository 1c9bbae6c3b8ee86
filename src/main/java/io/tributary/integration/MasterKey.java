package io.tributary.integration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit key every secret at rest is encrypted under. Configured as base64 in
 * tributary.master-key; only the embedded default may generate one, into its data dir, because
 * nodes sharing an external database must share the key too.
 */
public final class MasterKey {

    private static final int KEY_BYTES = 32;

    private MasterKey() {
    }

    public static SecretKey resolve(String configured, boolean embeddedDatabase, Path dataDir) throws IOException {
        if (configured != null && !configured.isBlank()) {
            return decode(configured.strip(), "tributary.master-key");
        }
        if (!embeddedDatabase) {
            throw new IllegalStateException("TRIBUTARY_MASTER_KEY (tributary.master-key) is required with an "
                    + "external database: 32 random bytes, base64, the same on every node (openssl rand -base64 32)");
        }
        Path file = dataDir.resolve("master.key");
        if (!Files.exists(file)) {
            byte[] key = new byte[KEY_BYTES];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(dataDir);
            Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardOpenOption.CREATE_NEW);
            restrictToOwner(file);
        }
        return decode(Files.readString(file).strip(), file.toString());
    }

    private static SecretKey decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("The master key in " + source + " is not base64");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("The master key in " + source + " must be 32 bytes, base64-encoded");
        }
        return new SecretKeySpec(key, "AES");
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system; the data dir's own permissions apply
        }
    }
}
