package io.tributary.integration;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Encrypts an integration's secrets with AES-256-GCM. The integration id is bound in as associated
 * data, so a ciphertext copied onto another integration's row does not decrypt.
 * Layout: version byte (1) | 12-byte nonce | ciphertext with 16-byte tag.
 */
@Component
public class CredentialVault {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> SECRETS = new TypeReference<>() {
    };

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    @Autowired
    public CredentialVault(@Value("${tributary.master-key:}") String masterKey,
                           @Value("${spring.datasource.url:}") String datasourceUrl,
                           @Value("${tributary.data-dir}") String dataDir) throws IOException {
        this(MasterKey.resolve(masterKey, datasourceUrl.isBlank(), Path.of(dataDir)));
    }

    CredentialVault(SecretKey key) {
        this.key = key;
    }

    public byte[] seal(UUID integrationId, Map<String, String> secrets) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(integrationId));
            byte[] sealed = cipher.doFinal(JSON.writeValueAsBytes(secrets));
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Could not encrypt credentials", e);
        }
    }

    public Map<String, String> open(UUID integrationId, byte[] sealed) {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES || sealed[0] != VERSION) {
            throw new IllegalStateException("Stored credentials are not in a known format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData(integrationId));
            byte[] plain = cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
            return JSON.readValue(plain, SECRETS);
        } catch (GeneralSecurityException e) {
            // Deliberately vague: a wrong master key and a tampered row look the same from here.
            throw new IllegalStateException("Stored credentials could not be decrypted (wrong master key?)");
        } catch (IOException e) {
            throw new IllegalStateException("Stored credentials are not in a known format");
        }
    }

    private static byte[] associatedData(UUID integrationId) {
        return ("tributary.integration:" + integrationId).getBytes(StandardCharsets.UTF_8);
    }
}
