package io.keyhook.dispatcher.service;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.DataChangeEvent;

/**
 * The thin ("ping and pull") body a receiver gets — no patient data: {@code {"type", "timestamp", "eventId", "data":
 * {"environment", "resource", "resourceId", "action", "updatedAt", "href"}}}. {@code timestamp} is when the dispatcher
 * made the delivery from the event; {@code eventId} the publisher's CloudEvents {@code id} (payload version 2, see
 * docs/verifying-webhooks.md). Built once per event and webhook, and the exact same bytes are sent on every attempt, so
 * signatures and body hashes stay valid.
 */
public final class DeliveryBody {

    private DeliveryBody() {
    }

    public static String of(ObjectMapper json, DataChangeEvent e, String timestamp) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("environment", e.environment());
        data.put("resource", e.data().resource());
        data.put("resourceId", e.data().resourceId());
        data.put("action", e.data().action());
        data.put("updatedAt", e.data().updatedAt());
        data.put("href", e.data().href());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", e.type());
        body.put("timestamp", timestamp);
        body.put("eventId", e.id());
        body.put("data", data);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot serialise a delivery body", ex);
        }
    }
}
