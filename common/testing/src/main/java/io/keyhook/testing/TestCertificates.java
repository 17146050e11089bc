package io.keyhook.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and certificates for {@code localhost} / {@code 127.0.0.1}, made at test time
 * (nothing secret is committed): the SASL_SSL Kafka listener and PostgreSQL with {@code ssl=on} use them, clients
 * verify them against {@link #caFile()}. Written as PEM: {@code ca.crt}, {@code <name>.crt} (certificate then CA),
 * {@code <name>.key} (PKCS#8, mode 600) and {@code <name>.pem} (key and chain in one file, as Kafka's PEM key store
 * reads it).
 * <p>
 * {@code java -cp (the testing classpath) io.keyhook.testing.TestCertificates DIR NAME...} does the same for
 * {@code ./keyhook up}.
 */
public final class TestCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;

    private TestCertificates(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            caKeys = newKeyPair();
            X500Name name = new X500Name("CN=Keyhook test CA " + Long.toHexString(RANDOM.nextLong()));
            X509v3CertificateBuilder b = builder(name, name, caKeys);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            ca = sign(b, caKeys.getPrivate());
            write(dir.resolve("ca.crt"), pem(ca));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot make the test CA", e);
        }
    }

    /** A new CA whose files go to {@code dir}. */
    public static TestCertificates in(Path dir) {
        return new TestCertificates(dir);
    }

    /** The CA certificate (PEM): what clients trust. */
    public Path caFile() {
        return dir.resolve("ca.crt");
    }

    public Path dir() {
        return dir;
    }

    /**
     * Issues a certificate for {@code localhost} and {@code 127.0.0.1} named {@code name}, usable by a server and as a
     * TLS client certificate, and writes its files.
     */
    public Path issue(String name) {
        try {
            KeyPair keys = newKeyPair();
            X509v3CertificateBuilder b = builder(new X500Name("CN=localhost"),
                    new X500Name(ca.getSubjectX500Principal().getName()), keys);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1") }));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            X509Certificate cert = sign(b, caKeys.getPrivate());
            String chain = pem(cert) + pem(ca);
            String key = pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate());
            write(dir.resolve(name + ".crt"), chain);
            write(dir.resolve(name + ".key"), key);
            write(dir.resolve(name + ".pem"), key + chain);
            return dir.resolve(name + ".pem");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a test certificate", e);
        }
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: TestCertificates <dir> <name>...");
            System.exit(2);
        }
        TestCertificates certs = in(Path.of(args[0]));
        for (int i = 1; i < args.length; i++) {
            certs.issue(args[i]);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).abs(),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(30))), subject,
                keys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256, RANDOM);
        return g.generateKeyPair();
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to tighten
        }
    }
}
