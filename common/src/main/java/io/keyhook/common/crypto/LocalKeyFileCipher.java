package io.keyhook.common.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.keyhook.core.crypto.PrivateFiles;
import io.keyhook.core.crypto.SecretGenerator;
import io.smallrye.mutiny.Uni;

/**
 * AES-256-GCM with keys from a local file: the embedded default when no Vault is configured. The file holds one line
 * {@code v<N>=<base64 key>} per key version, is created on first use with 0600 permissions, and {@link #rotate()}
 * appends a version. Ciphertext: {@code khl:v<N>:<base64(nonce ||
 * ciphertext || tag)>} with the Environment id as associated data.
 */
public final class LocalKeyFileCipher implements SecretCipher {

    private static final String PREFIX = "khl";
    private static final int NONCE_BYTES = 12;
    private final Path file;
    private volatile TreeMap<Integer, SecretKeySpec> keys;

    public LocalKeyFileCipher(Path file) {
        this.file = file;
        this.keys = loadOrCreate(file);
    }

    @Override
    public Uni<String> encrypt(String environmentId, byte[] plaintext) {
        return Uni.createFrom().item(() -> encryptNow(environmentId, plaintext));
    }

    @Override
    public Uni<byte[]> decrypt(String environmentId, String ciphertext) {
        return Uni.createFrom().item(() -> decryptNow(environmentId, ciphertext));
    }

    @Override
    public Uni<String> rewrap(String environmentId, String ciphertext) {
        return Uni.createFrom().item(() -> rewrapNow(environmentId, ciphertext));
    }

    @Override
    public Uni<Integer> currentKeyVersion() {
        return Uni.createFrom().item(this::newestVersion);
    }

    @Override
    public Uni<Integer> rotate() {
        return Uni.createFrom().item(this::rotateNow);
    }

    @Override
    public String ciphertextPrefix() {
        return PREFIX + ":";
    }

    public String encryptNow(String environmentId, byte[] plaintext) {
        Map.Entry<Integer, SecretKeySpec> newest = keys.lastEntry();
        byte[] nonce = SecretGenerator.randomBytes(NONCE_BYTES);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, newest.getValue(), nonce, environmentId, plaintext);
        byte[] out = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
        return PREFIX + ":v" + newest.getKey() + ":" + Base64.getEncoder().encodeToString(out);
    }

    public byte[] decryptNow(String environmentId, String ciphertext) {
        String[] parts = ciphertext.split(":", 3);
        if (parts.length != 3 || !PREFIX.equals(parts[0])) {
            throw new IllegalArgumentException("not a local key-file ciphertext");
        }
        int version = SecretCipher.keyVersionOf(ciphertext);
        SecretKeySpec key = keys.get(version);
        if (key == null) {
            // another instance may have rotated: read the file again before giving up
            keys = loadOrCreate(file);
            key = keys.get(version);
            if (key == null) {
                throw new IllegalStateException("unknown key version v" + version);
            }
        }
        byte[] in = Base64.getDecoder().decode(parts[2]);
        byte[] nonce = Arrays.copyOfRange(in, 0, NONCE_BYTES);
        byte[] sealed = Arrays.copyOfRange(in, NONCE_BYTES, in.length);
        return run(Cipher.DECRYPT_MODE, key, nonce, environmentId, sealed);
    }

    public String rewrapNow(String environmentId, String ciphertext) {
        if (SecretCipher.keyVersionOf(ciphertext) == newestVersion()) {
            return ciphertext;
        }
        byte[] plain = decryptNow(environmentId, ciphertext);
        try {
            return encryptNow(environmentId, plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    public int newestVersion() {
        return keys.lastKey();
    }

    public synchronized int rotateNow() {
        TreeMap<Integer, SecretKeySpec> next = loadOrCreate(file);
        int version = next.lastKey() + 1;
        next.put(version, new SecretKeySpec(SecretGenerator.randomBytes(32), "AES"));
        write(file, next);
        keys = next;
        return version;
    }

    private static byte[] run(int mode, SecretKeySpec key, byte[] nonce, String environmentId, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(environmentId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM " + (mode == Cipher.ENCRYPT_MODE ? "encryption" : "decryption") + " failed", e);
        }
    }

    private static TreeMap<Integer, SecretKeySpec> loadOrCreate(Path file) {
        try {
            PrivateFiles.createIfAbsent(file, () -> {
                TreeMap<Integer, SecretKeySpec> first = new TreeMap<>();
                first.put(1, new SecretKeySpec(SecretGenerator.randomBytes(32), "AES"));
                return render(first);
            });
            TreeMap<Integer, SecretKeySpec> keys = new TreeMap<>();
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                int version = Integer.parseInt(line.substring(1, eq));
                byte[] key = Base64.getDecoder().decode(line.substring(eq + 1));
                if (key.length != 32) {
                    throw new IllegalStateException("key v" + version + " in " + file + " is not 256 bits");
                }
                keys.put(version, new SecretKeySpec(key, "AES"));
            }
            if (keys.isEmpty()) {
                throw new IllegalStateException("no keys in " + file);
            }
            return keys;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the secret key file " + file, e);
        }
    }

    private static void write(Path file, TreeMap<Integer, SecretKeySpec> keys) {
        try {
            PrivateFiles.replace(file, render(keys));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the secret key file " + file, e);
        }
    }

    private static String render(TreeMap<Integer, SecretKeySpec> keys) {
        List<String> lines = new ArrayList<>();
        lines.add("# Keyhook local secret-encryption keys: AES-256, one line per version. Keep private (0600).");
        keys.forEach((v, k) -> lines.add("v" + v + "=" + Base64.getEncoder().encodeToString(k.getEncoded())));
        return String.join("\n", lines) + "\n";
    }
}
