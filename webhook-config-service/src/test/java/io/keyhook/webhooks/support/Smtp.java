package io.keyhook.webhooks.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Arrays;
import java.util.List;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/** A real SMTP server in the test JVM (GreenMail), shared by every test: the operator's mail server. */
public final class Smtp {

    private static Smtp shared;

    private final int port;
    private GreenMail server;

    private Smtp(int port) {
        this.port = port;
    }

    public static synchronized Smtp shared() {
        if (shared == null) {
            shared = new Smtp(freePort());
            shared.start();
        }
        return shared;
    }

    public int port() {
        return port;
    }

    /** (Re)starts the server on its port, e.g. after {@link #stop()}. */
    public synchronized void start() {
        server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
    }

    /** The server goes away: sends fail until {@link #start()}. What it had received is forgotten. */
    public synchronized void stop() {
        server.stop();
    }

    /** Every message received (since the last start) addressed to {@code address}. */
    public synchronized List<MimeMessage> to(String address) {
        return Arrays.stream(server.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(address));
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
