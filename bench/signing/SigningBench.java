import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Signatures per second on one thread for a typical access token's signing input: the candidates for token-service's
 * signing algorithm. Run through bench/signing/run.
 */
public class SigningBench {

    interface Signer {
        byte[] sign(byte[] input) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        byte[] input = ("eyJhbGciOiJFZERTQSIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImtBQkNERUZHSElKS0xNTk9QUVJTVFVWIn0."
                + "eyJpc3MiOiJodHRwOi8vbG9jYWxob3N0OjgwODIiLCJzdWIiOiJjbF9BQkNERUZHSElKS0xNTk9QUVJTVFVWIiwiY2xpZW50X2lk"
                + "IjoiY2xfQUJDREVGR0hJSktMTU5PUFFSU1RVViIsImF1ZCI6ImtleWhvb2stYXBpIiwiaWF0IjoxNzk1ODY2MjM0LCJuYmYiOjE3"
                + "OTU4NjYyMzQsImV4cCI6MTc5NTg2NzEzNCwianRpIjoiYXRfQUJDREVGR0hJSktMTU5PUFFSU1RVViIsInNjb3BlIjoicmVhZCB3"
                + "cml0ZSIsImVudiI6InNhbmRib3gtdGVzdCIsInNlY3JldF9pZCI6InNlY19BQkNERUZHSElKS0xNTk9QUVJTVFVWIn0")
                .getBytes(StandardCharsets.US_ASCII);

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair p256 = ec.generateKeyPair();
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsa2048 = rsa.generateKeyPair();
        Ed25519PrivateKeyParameters bc = new Ed25519PrivateKeyParameters(new SecureRandom());

        System.out.printf("java %s, %d cores; signing a %d-byte token input on one thread%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), input.length);
        report("ES256  (JDK SHA256withECDSA, P-256)", seconds, jdk("SHA256withECDSA", p256), input);
        report("EdDSA  (JDK Ed25519)", seconds, jdk("Ed25519", ed), input);
        report("EdDSA  (BouncyCastle Ed25519Signer)", seconds, in -> {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, bc);
            s.update(in, 0, in.length);
            return s.generateSignature();
        }, input);
        report("RS256  (JDK SHA256withRSA, 2048) - Keycloak's default", seconds, jdk("SHA256withRSA", rsa2048),
                input);
    }

    static Signer jdk(String algorithm, KeyPair keys) {
        return in -> {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(keys.getPrivate());
            s.update(in);
            return s.sign();
        };
    }

    static void report(String name, double seconds, Signer signer, byte[] input) throws Exception {
        long warmEnd = System.nanoTime() + (long) (seconds * 0.4e9);
        while (System.nanoTime() < warmEnd) {
            signer.sign(input);
        }
        long n = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            signer.sign(input);
            n++;
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        System.out.printf("%-55s %10.0f signatures/s%n", name, rate);
    }
}
