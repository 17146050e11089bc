package io.keyhook.core.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;

/** Key material on local disk: files readable by their owner only (0600), never world-readable. */
public final class PrivateFiles {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY = PosixFilePermissions
            .asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private PrivateFiles() {
    }

    /**
     * Creates {@code file} with the supplied content unless it exists; returns true if this call made it. Safe when
     * several processes start at once: the loser keeps the winner's file.
     */
    public static boolean createIfAbsent(Path file, Supplier<String> content) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        // write a private temporary file, then link it into place: the link fails if another process won the
        // race, so a reader never sees a half-written file and the loser keeps the winner's content
        Path tmp = Files.createTempFile(file.getParent() == null ? Path.of(".") : file.getParent(), ".new-", ".tmp",
                OWNER_ONLY);
        try {
            Files.writeString(tmp, content.get(), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException raced) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }

    /** Replaces {@code file} atomically with a new private file holding {@code content}. */
    public static void replace(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, OWNER_ONLY);
        Files.writeString(tmp, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
