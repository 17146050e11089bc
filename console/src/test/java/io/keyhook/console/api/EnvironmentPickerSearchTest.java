package io.keyhook.console.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.keyhook.console.support.Browser;
import io.keyhook.console.support.ConsoleTestResources;
import io.keyhook.console.support.ServicesStub;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Environment picker with 300 Environments (an operator's view): the search narrows the list on the server, by id,
 * name or Configuration, ignoring case; a search with markup is shown inert.
 */
@QuarkusTest
@WithTestResource(value = ConsoleTestResources.class, scope = TestResourceScope.GLOBAL)
class EnvironmentPickerSearchTest {

    final ServicesStub stub = ServicesStub.shared();

    @TestHTTPResource("/")
    URL console;

    Browser browser;

    @BeforeEach
    void threeHundredEnvironments() {
        stub.reset();
        StringBuilder items = new StringBuilder("{\"items\":[");
        for (int i = 0; i < 300; i++) {
            String id = String.format("tenant-%03d", i);
            items.append(i == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"name\":\"")
                    .append(i == 42 ? "Acme Hospital" : "Clinic " + i).append("\",\"configuration\":\"")
                    .append(i % 2 == 0 ? "clinic-v1" : "lab-v2").append("\",\"dataTypes\":[\"patients\"]}");
        }
        stub.on("GET", "/api/v1/environments", 200, items.append("]}").toString());
        stub.operatorOf("\"*\""); // an operator: every Environment
        browser = new Browser(console.toString()).signIn();
    }

    @Test
    void withoutASearchEveryEnvironmentIsListed() {
        String page = browser.page("/environments");
        assertEquals(300, rows(page), page);
        assertTrue(page.contains("300 Environments."), page);
        assertTrue(page.contains("id=\"q\" name=\"q\" type=\"search\""), "the search box: " + page);
    }

    @Test
    void theSearchFindsByIdNameOrConfigurationIgnoringCase() {
        String page = browser.page("/environments?q=TENANT-29");
        assertEquals(10, rows(page), "tenant-290..299: " + page);
        assertTrue(page.contains("10 of 300 Environments match"), page);

        page = browser.page("/environments?q=acme");
        assertEquals(1, rows(page), page);
        assertTrue(page.contains("/environments/tenant-042/credentials"), page);

        page = browser.page("/environments?q=lab-v2");
        assertEquals(150, rows(page), page);
    }

    @Test
    void aSearchThatMatchesNothingSaysSoAndAMarkupSearchIsInert() {
        String page = browser.page("/environments?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        assertEquals(0, rows(page), page);
        assertFalse(page.contains("<script>alert(1)"), page);
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), page);
        assertTrue(page.contains("id=\"no-environments\""), page);
    }

    private static int rows(String page) {
        Matcher m = Pattern.compile("<a href=\"/environments/tenant-\\d{3}/credentials\">").matcher(page);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
