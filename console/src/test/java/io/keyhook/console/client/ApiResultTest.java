package io.keyhook.console.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class ApiResultTest {

    final ObjectMapper json = new ObjectMapper();

    @Test
    void aProblemBecomesAMessageAndErrorsNextToTheirFormFields() throws Exception {
        ApiResult r = new ApiResult(422, json.readTree("""
                {"type":"about:blank","title":"Unprocessable","status":422,"code":"validation_failed",
                 "detail":"The request has invalid fields: url, security.secretIds[0]",
                 "errors":[{"field":"url","message":"must be https"},
                           {"field":"security.secretIds[0]","message":"unknown secret"},
                           {"field":"url","message":"must be public"}]}"""));
        assertEquals("validation_failed", r.code());
        assertEquals("The request has invalid fields: url, security.secretIds[0]", r.message());
        assertEquals(Map.of("url", "must be https; must be public", "secretIds", "unknown secret"), r.fieldErrors());
    }

    @Test
    void aFormsMessageNamesTheFieldsByTheirLabelsNotTheirApiPaths() throws Exception {
        ApiResult r = new ApiResult(422, json.readTree("""
                {"code":"secret_not_usable","detail":"Only active secrets of active clients of this Environment",
                 "errors":[{"field":"security.secretIds[0]","message":"secret sec_x is invalidated"},
                           {"field":"url","message":"must be https"}]}"""));
        // before: the detail with API paths ("security.secretIds[0]")
        assertEquals("Please check Signing credential: secret sec_x is invalidated. Destination URL: must be https.",
                r.message(Map.of("security.secretIds", "Signing credential", "url", "Destination URL")));
        assertEquals("Conflict", new ApiResult(409, json.readTree("{\"detail\":\"Conflict\"}")).message(Map.of()));
    }

    @Test
    void aProblemWithoutDetailFallsBackToItsTitleAndABodilessOneToItsStatus() throws Exception {
        assertEquals("Conflict", new ApiResult(409, json.readTree("{\"title\":\"Conflict\"}")).message());
        assertEquals("The service answered 502", new ApiResult(502, null).message());
        assertNull(new ApiResult(200, json.readTree("{}")).message());
    }

    @Test
    void itemsComeFromAPageOrABareArray() throws Exception {
        assertEquals(2, new ApiResult(200, json.readTree("{\"items\":[{},{}],\"nextCursor\":null}")).items().size());
        assertEquals(3, new ApiResult(200, json.readTree("[1,2,3]")).items().size());
        assertEquals(0, new ApiResult(404, null).items().size());
    }
}
