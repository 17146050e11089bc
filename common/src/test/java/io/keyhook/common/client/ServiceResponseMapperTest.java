package io.keyhook.common.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;

class ServiceResponseMapperTest {

    @Test
    void aRefusalComesBackAsTheSameProblemWithItsFieldErrorsAndExtensions() {
        RuntimeException e = ServiceResponseMapper.map(409,
                "{\"type\":\"t\",\"title\":\"Conflict\",\"status\":409,\"code\":\"secret_in_use\",\"detail\":\"in use\","
                        + "\"errors\":[{\"field\":\"secretIds[0]\",\"message\":\"no\"}],\"webhookIds\":[\"wh_1\"]}");
        ProblemException p = assertInstanceOf(ProblemException.class, e);
        assertEquals(409, p.status());
        assertEquals("secret_in_use", p.code());
        assertEquals("Conflict", p.title());
        assertEquals("in use", p.getMessage());
        assertEquals(List.of(new Problem.FieldError("secretIds[0]", "no")), p.errors());
        assertEquals(List.of("wh_1"), p.extensions().get("webhookIds"));
        assertEquals(1, p.extensions().size(), "type, status, ... are members, not extensions");
    }

    @Test
    void aNotFoundWithoutABodyIsStillARefusal() {
        ProblemException p = assertInstanceOf(ProblemException.class, ServiceResponseMapper.map(404, ""));
        assertEquals("not_found", p.code());
    }

    @Test
    void serverErrorsOwnTokenRefusalsAndThrottlingMeanNoAnswer() {
        for (int status : new int[] { 500, 502, 503, 401, 429 }) {
            ServiceUnavailable u = assertInstanceOf(ServiceUnavailable.class,
                    ServiceResponseMapper.map(status, "{\"code\":\"x\"}"), "status " + status);
            assertEquals(status, u.status());
        }
        assertInstanceOf(ServiceUnavailable.class, ServiceResponseMapper.map(403, "<html>forbidden</html>"),
                "a 403 without a problem code is about this service's own token");
        assertInstanceOf(ProblemException.class, ServiceResponseMapper.map(403, "{\"code\":\"forbidden\"}"),
                "a 403 with a code is the caller's (an admin's own token)");
    }

    @Test
    void onlyErrorsAreMapped() {
        ServiceResponseMapper mapper = new ServiceResponseMapper();
        assertFalse(mapper.handles(204, null));
        assertTrue(mapper.handles(400, null));
    }
}
